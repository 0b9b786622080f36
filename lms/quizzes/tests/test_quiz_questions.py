"""Authoring questions with their choices; questions freeze once attempted; duplicating a quiz."""

import pytest

from lms.quizzes.models import Choice, Question, Quiz

from .conftest import question
from .factories import QuizFactory, QuizSubmissionFactory
from .test_quiz_authoring import QUESTIONS, question_url, quiz_url, single_choice

pytestmark = pytest.mark.django_db


# --- questions -----------------------------------------------------------------------


def test_instructor_adds_a_question_with_choices(auth_client, instructor, quiz):
    response = auth_client(instructor).post(QUESTIONS, single_choice(quiz))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["order"] == 5
    assert [(c["text"], c["is_correct"]) for c in body["choices"]] == [("4", True), ("5", False)]
    assert body["accepted_answers"] == []


def test_question_inserted_at_an_order_moves_the_others_down(auth_client, instructor, quiz):
    response = auth_client(instructor).post(QUESTIONS, single_choice(quiz, order=2))

    assert response.json()["order"] == 2
    assert list(quiz.questions.values_list("order", flat=True)) == [1, 2, 3, 4, 5]
    assert question(quiz, 3).text == "Primes?"


def test_order_out_of_range_is_400(auth_client, instructor, quiz):
    response = auth_client(instructor).post(QUESTIONS, single_choice(quiz, order=9))

    assert response.status_code == 400
    assert "order" in response.json()


def test_moving_and_deleting_questions_keeps_order_dense(auth_client, instructor, quiz):
    client = auth_client(instructor)
    last = question(quiz, 4)

    assert client.patch(question_url(last), {"order": 1}).status_code == 200
    assert list(quiz.questions.values_list("kind", flat=True)) == [
        "short_answer",
        "single_choice",
        "multiple_choice",
        "true_false",
    ]
    assert client.delete(question_url(question(quiz, 2))).status_code == 204
    assert list(quiz.questions.values_list("order", flat=True)) == [1, 2, 3]


def test_admin_adds_a_short_answer_question(auth_client, admin, quiz):
    response = auth_client(admin).post(
        QUESTIONS,
        {
            "quiz": quiz.pk,
            "text": "Name a snake.",
            "kind": "short_answer",
            "accepted_answers": [" Python ", "python", "cobra"],
        },
    )

    assert response.status_code == 201, response.content
    assert response.json()["accepted_answers"] == ["Python", "cobra"]


@pytest.mark.parametrize(
    "payload, field",
    [
        (
            {"choices": [{"text": "a", "is_correct": True}, {"text": "b", "is_correct": True}]},
            "choices",
        ),
        ({"choices": [{"text": "a"}, {"text": "b"}]}, "choices"),
        ({"kind": "true_false", "choices": [{"text": "True", "is_correct": True}]}, "choices"),
        (
            {
                "kind": "true_false",
                "choices": [
                    {"text": "a", "is_correct": True},
                    {"text": "b"},
                    {"text": "c"},
                ],
            },
            "choices",
        ),
        ({"kind": "multiple_choice", "choices": [{"text": "a"}, {"text": "b"}]}, "choices"),
        ({"kind": "short_answer", "choices": [], "accepted_answers": []}, "accepted_answers"),
        ({"kind": "short_answer", "accepted_answers": ["x"]}, "choices"),
        ({"accepted_answers": ["4"]}, "accepted_answers"),
        ({"choices": [{"text": "a", "is_correct": True}, {"text": "A"}]}, "choices"),
        ({"kind": "essay"}, "kind"),
        ({"points": 0}, "points"),
        ({"choices": [{"text": "", "is_correct": True}]}, "choices"),
    ],
    ids=[
        "single-two-correct",
        "single-none-correct",
        "tf-one-choice",
        "tf-three-choices",
        "multi-none-correct",
        "short-no-accepted",
        "short-with-choices",
        "choice-with-accepted",
        "duplicate-choice-text",
        "unknown-kind",
        "zero-points",
        "blank-choice",
    ],
)
def test_invalid_questions_are_400_and_write_nothing(auth_client, instructor, quiz, payload, field):
    response = auth_client(instructor).post(QUESTIONS, single_choice(quiz, **payload))

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert quiz.questions.count() == 4
    assert Choice.objects.count() == 8


def test_replacing_choices_is_validated_as_a_whole(auth_client, instructor, quiz):
    q1 = question(quiz, 1)

    bad = auth_client(instructor).patch(
        question_url(q1), {"choices": [{"text": "x"}, {"text": "y"}]}
    )
    good = auth_client(instructor).patch(
        question_url(q1), {"choices": [{"text": "x", "is_correct": True}, {"text": "y"}]}
    )

    assert bad.status_code == 400
    assert good.status_code == 200
    assert list(q1.choices.values_list("text", "is_correct")) == [("x", True), ("y", False)]


def test_changing_kind_checks_the_existing_choices(auth_client, instructor, quiz):
    response = auth_client(instructor).patch(
        question_url(question(quiz, 1)), {"kind": "short_answer"}
    )

    assert response.status_code == 400
    assert question(quiz, 1).kind == Question.Kind.SINGLE_CHOICE


def test_questions_list_for_the_instructor_with_choices(auth_client, instructor, quiz):
    QuizFactory()  # someone else's quiz

    body = auth_client(instructor).get(QUESTIONS, {"quiz_id": quiz.pk}).json()

    assert body["count"] == 4
    assert body["results"][0]["choices"][0]["is_correct"] is True


@pytest.mark.parametrize("role", ["enrolled", "outsider"])
def test_students_cannot_read_or_write_questions(auth_client, quiz, role, request):
    client = auth_client(request.getfixturevalue(role))

    assert client.get(QUESTIONS, {"quiz_id": quiz.pk}).status_code == 403
    assert client.get(QUESTIONS).status_code == 403
    assert client.get(question_url(question(quiz, 1))).status_code == 403
    assert client.post(QUESTIONS, single_choice(quiz)).status_code == 403
    assert client.delete(question_url(question(quiz, 1))).status_code == 403


def test_another_instructor_cannot_see_or_write_questions(auth_client, other_instructor, quiz):
    client = auth_client(other_instructor)

    assert client.get(QUESTIONS, {"quiz_id": quiz.pk}).status_code == 403
    assert client.get(QUESTIONS).json()["count"] == 0
    assert client.get(question_url(question(quiz, 1))).status_code == 404
    assert client.patch(question_url(question(quiz, 1)), {"text": "x"}).status_code == 404
    assert client.post(QUESTIONS, single_choice(quiz)).status_code == 403
    assert quiz.questions.count() == 4


def test_anonymous_cannot_touch_questions(api_client, quiz):
    assert api_client.get(QUESTIONS).status_code == 401
    assert api_client.post(QUESTIONS, single_choice(quiz)).status_code == 401


def test_admin_reads_any_question(auth_client, admin, quiz):
    assert auth_client(admin).get(question_url(question(quiz, 1))).status_code == 200


# --- questions of an attempted quiz --------------------------------------------------


def test_questions_of_an_attempted_quiz_are_frozen(auth_client, instructor, quiz):
    QuizSubmissionFactory(quiz=quiz)
    client = auth_client(instructor)
    q1 = question(quiz, 1)

    assert client.post(QUESTIONS, single_choice(quiz)).status_code == 409
    assert client.patch(question_url(q1), {"text": "Changed"}).status_code == 409
    assert client.delete(question_url(q1)).status_code == 409
    q1.refresh_from_db()
    assert q1.text == "Capital of France?"
    assert quiz.questions.count() == 4


def test_duplicate_copies_questions_as_an_unpublished_draft(auth_client, instructor, quiz):
    QuizSubmissionFactory(quiz=quiz)
    client = auth_client(instructor)

    response = client.post(f"{quiz_url(quiz)}duplicate/")

    assert response.status_code == 201, response.content
    copy = Quiz.objects.get(pk=response.json()["id"])
    assert (copy.is_published, copy.title, copy.course_id) == (
        False,
        "Basics (copy)",
        quiz.course_id,
    )
    assert list(copy.questions.values_list("order", "kind", "text")) == list(
        quiz.questions.values_list("order", "kind", "text")
    )
    assert sorted(Choice.objects.filter(question__quiz=copy).values_list("text", "is_correct")) == (
        sorted(Choice.objects.filter(question__quiz=quiz).values_list("text", "is_correct"))
    )
    assert response.json()["questions"][3]["accepted_answers"] == ["42", "forty-two"]
    # The copy is editable.
    assert (
        client.patch(question_url(copy.questions.get(order=1)), {"text": "New"}).status_code == 200
    )


@pytest.mark.parametrize("role, code", [("enrolled", 403), ("other_instructor", 403)])
def test_others_cannot_duplicate(auth_client, quiz, role, code, request):
    response = auth_client(request.getfixturevalue(role)).post(f"{quiz_url(quiz)}duplicate/")

    assert response.status_code == code
    assert Quiz.objects.count() == 1
