"""Authoring: quizzes and questions with their choices, for the course's instructor and admins."""

import pytest

from lms.courses.tests.factories import CourseFactory, LessonFactory, ModuleFactory
from lms.quizzes.models import Choice, Question, Quiz

from .conftest import question
from .factories import QuizFactory, QuizSubmissionFactory

pytestmark = pytest.mark.django_db

QUIZZES = "/api/v1/quizzes/"
QUESTIONS = "/api/v1/questions/"


def quiz_url(quiz) -> str:
    return f"{QUIZZES}{quiz.pk}/"


def question_url(q) -> str:
    return f"{QUESTIONS}{q.pk}/"


def single_choice(quiz, **overrides) -> dict:
    return {
        "quiz": quiz.pk,
        "text": "2 + 2?",
        "kind": "single_choice",
        "points": 2,
        "choices": [{"text": "4", "is_correct": True}, {"text": "5", "is_correct": False}],
        **overrides,
    }


# --- quizzes: reading ----------------------------------------------------------------


def test_enrolled_student_lists_only_published_quizzes(auth_client, enrolled, quiz, course):
    QuizFactory(course=course, is_published=False)
    QuizFactory()  # another course

    response = auth_client(enrolled).get(QUIZZES)

    assert response.status_code == 200
    assert [q["id"] for q in response.json()["results"]] == [quiz.pk]
    assert response.json()["results"][0]["question_count"] == 4


def test_instructor_lists_all_quizzes_of_their_courses(auth_client, instructor, quiz, course):
    draft = QuizFactory(course=course, is_published=False)
    QuizFactory()

    body = auth_client(instructor).get(QUIZZES, {"course_id": course.pk}).json()

    assert {q["id"] for q in body["results"]} == {quiz.pk, draft.pk}


def test_admin_lists_every_quiz(auth_client, admin, quiz):
    other = QuizFactory(is_published=False)

    body = auth_client(admin).get(QUIZZES).json()

    assert {q["id"] for q in body["results"]} == {quiz.pk, other.pk}


def test_quiz_fields_are_the_contract(auth_client, instructor, quiz):
    body = auth_client(instructor).get(QUIZZES).json()["results"][0]

    assert set(body) >= {
        "id",
        "course",
        "lesson",
        "title",
        "description",
        "time_limit_minutes",
        "max_attempts",
        "pass_percent",
        "is_published",
        "question_count",
    }


@pytest.mark.parametrize("role", ["outsider", "other_instructor"])
def test_filtering_by_a_course_one_cannot_read_is_403(auth_client, quiz, course, role, request):
    response = auth_client(request.getfixturevalue(role)).get(QUIZZES, {"course_id": course.pk})

    assert response.status_code == 403


def test_filtering_by_an_unknown_or_bad_course(auth_client, enrolled):
    assert auth_client(enrolled).get(QUIZZES, {"course_id": 999999}).status_code == 404
    assert auth_client(enrolled).get(QUIZZES, {"course_id": "x"}).status_code == 400


def test_other_roles_list_nothing_of_the_course(auth_client, quiz, outsider, other_instructor):
    assert auth_client(outsider).get(QUIZZES).json()["count"] == 0
    assert auth_client(other_instructor).get(QUIZZES).json()["count"] == 0


def test_anonymous_cannot_list_quizzes(api_client, quiz):
    assert api_client.get(QUIZZES).status_code == 401


def test_another_instructor_cannot_read_a_quiz(auth_client, other_instructor, quiz):
    assert auth_client(other_instructor).get(quiz_url(quiz)).status_code == 403
    quiz.is_published = False
    quiz.save()
    assert auth_client(other_instructor).get(quiz_url(quiz)).status_code == 404


# --- quizzes: writing ----------------------------------------------------------------


def test_course_instructor_creates_a_quiz(auth_client, instructor, course):
    lesson = LessonFactory(module=ModuleFactory(course=course))

    response = auth_client(instructor).post(
        QUIZZES,
        {
            "course": course.pk,
            "lesson": lesson.pk,
            "title": "Checkpoint",
            "time_limit_minutes": 15,
            "max_attempts": 2,
            "pass_percent": 70,
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["question_count"] == 0
    assert body["is_published"] is False
    quiz = Quiz.objects.get(pk=body["id"])
    assert (quiz.course, quiz.lesson, quiz.max_attempts) == (course, lesson, 2)


def test_lesson_of_another_course_is_400(auth_client, instructor, course):
    foreign = LessonFactory()

    response = auth_client(instructor).post(
        QUIZZES, {"course": course.pk, "lesson": foreign.pk, "title": "X"}
    )

    assert response.status_code == 400
    assert "lesson" in response.json()
    assert not Quiz.objects.exists()


@pytest.mark.parametrize(
    "field, value",
    [("pass_percent", 101), ("pass_percent", -1), ("max_attempts", 0), ("time_limit_minutes", 0)],
)
def test_out_of_range_settings_are_400(auth_client, instructor, course, field, value):
    response = auth_client(instructor).post(
        QUIZZES, {"course": course.pk, "title": "X", field: value}
    )

    assert response.status_code == 400
    assert field in response.json()


def test_admin_creates_a_quiz_in_any_course(auth_client, admin, course):
    response = auth_client(admin).post(QUIZZES, {"course": course.pk, "title": "By admin"})

    assert response.status_code == 201


@pytest.mark.parametrize("role", ["enrolled", "outsider", "other_instructor"])
def test_others_cannot_create_a_quiz(auth_client, course, role, request):
    response = auth_client(request.getfixturevalue(role)).post(
        QUIZZES, {"course": course.pk, "title": "Nope"}
    )

    assert response.status_code == 403
    assert not Quiz.objects.exists()


def test_anonymous_cannot_create_a_quiz(api_client, course):
    assert api_client.post(QUIZZES, {"course": course.pk, "title": "X"}).status_code == 401


def test_instructor_updates_and_publishes_a_quiz(auth_client, instructor, quiz):
    response = auth_client(instructor).patch(
        quiz_url(quiz), {"title": "Renamed", "is_published": False}
    )

    assert response.status_code == 200
    quiz.refresh_from_db()
    assert (quiz.title, quiz.is_published) == ("Renamed", False)


def test_a_quiz_cannot_move_to_another_course(auth_client, instructor, quiz):
    other = CourseFactory(instructor=instructor)

    response = auth_client(instructor).patch(quiz_url(quiz), {"course": other.pk})

    assert response.status_code == 400
    quiz.refresh_from_db()
    assert quiz.course_id != other.pk


def test_update_with_a_foreign_lesson_is_400(auth_client, instructor, quiz):
    response = auth_client(instructor).patch(quiz_url(quiz), {"lesson": LessonFactory().pk})

    assert response.status_code == 400


@pytest.mark.parametrize("role, code", [("enrolled", 403), ("other_instructor", 403)])
def test_others_cannot_change_or_delete_a_quiz(auth_client, quiz, role, code, request):
    client = auth_client(request.getfixturevalue(role))

    assert client.patch(quiz_url(quiz), {"title": "Hacked"}).status_code == code
    assert client.delete(quiz_url(quiz)).status_code == code
    quiz.refresh_from_db()
    assert quiz.title == "Basics"


def test_another_instructor_gets_404_for_a_draft_quiz(auth_client, other_instructor, quiz):
    quiz.is_published = False
    quiz.save()

    assert auth_client(other_instructor).patch(quiz_url(quiz), {"title": "X"}).status_code == 404


def test_admin_deletes_an_unattempted_quiz(auth_client, admin, quiz):
    assert auth_client(admin).delete(quiz_url(quiz)).status_code == 204
    assert not Quiz.objects.exists()


def test_a_quiz_with_attempts_cannot_be_deleted(auth_client, instructor, quiz):
    QuizSubmissionFactory(quiz=quiz)

    assert auth_client(instructor).delete(quiz_url(quiz)).status_code == 409
    assert Quiz.objects.filter(pk=quiz.pk).exists()


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
