"""Numeric and ordering questions: authoring rules, grading on the server, saving and resuming."""

from decimal import Decimal

import pytest

from lms.quizzes.models import Answer, Choice, Question, QuizSubmission
from lms.quizzes.services import quiz_attempts_close_expired

from .kinds import ANSWER, STEPS, TOLERANCE, authored_ids, numeric_and_ordering_quiz

pytestmark = pytest.mark.django_db

QUESTIONS = "/api/v1/questions/"


@pytest.fixture
def kinds_quiz(course):
    return numeric_and_ordering_quiz(course=course, max_attempts=5)


def numeric_q(quiz) -> Question:
    return quiz.questions.get(kind=Question.Kind.NUMERIC)


def ordering_q(quiz) -> Question:
    return quiz.questions.get(kind=Question.Kind.ORDERING)


# --- authoring -----------------------------------------------------------------------


def test_the_author_creates_a_numeric_question_with_answer_and_tolerance(
    auth_client, instructor, kinds_quiz
):
    response = auth_client(instructor).post(
        QUESTIONS,
        {
            "quiz": kinds_quiz.pk,
            "text": "Pi to two decimals?",
            "kind": "numeric",
            "numeric_answer": "3.14",
            "tolerance": 0.005,
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["numeric_answer"], body["tolerance"], body["choices"]) == (3.14, 0.005, [])


def test_a_numeric_question_without_tolerance_needs_an_exact_answer(auth_client, admin, course):
    quiz = numeric_and_ordering_quiz(course=course)
    response = auth_client(admin).post(
        QUESTIONS, {"quiz": quiz.pk, "text": "2+2?", "kind": "numeric", "numeric_answer": 4}
    )

    assert response.status_code == 201
    assert response.json()["tolerance"] == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "numeric"}, "numeric_answer"),
        ({"kind": "numeric", "numeric_answer": 1, "tolerance": -1}, "tolerance"),
        ({"kind": "numeric", "numeric_answer": 1, "choices": [{"text": "a"}]}, "choices"),
        ({"kind": "numeric", "numeric_answer": 1, "accepted_answers": ["1"]}, "accepted_answers"),
        ({"kind": "ordering", "choices": [{"text": "only one"}]}, "choices"),
        ({"kind": "ordering", "choices": []}, "choices"),
        (
            {"kind": "ordering", "choices": [{"text": "a", "is_correct": True}, {"text": "b"}]},
            "choices",
        ),
        ({"kind": "ordering", "choices": [{"text": "a"}, {"text": "A "}]}, "choices"),
        (
            {"kind": "ordering", "choices": [{"text": "a"}, {"text": "b"}], "numeric_answer": 2},
            "numeric_answer",
        ),
        (
            {
                "kind": "single_choice",
                "choices": [{"text": "a", "is_correct": True}],
                "tolerance": 1,
            },
            "tolerance",
        ),
    ],
)
def test_authoring_rules_of_the_new_kinds_answer_400_and_save_nothing(
    auth_client, instructor, kinds_quiz, payload, field
):
    before = (Question.objects.count(), Choice.objects.count())

    response = auth_client(instructor).post(
        QUESTIONS, {"quiz": kinds_quiz.pk, "text": "New?", **payload}, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert (Question.objects.count(), Choice.objects.count()) == before


def test_the_author_reads_ordering_choices_in_the_right_order(auth_client, instructor, kinds_quiz):
    question = ordering_q(kinds_quiz)

    body = auth_client(instructor).get(f"{QUESTIONS}{question.pk}/").json()

    assert [c["text"] for c in body["choices"]] == STEPS
    assert all(c["is_correct"] is False for c in body["choices"])


def test_changing_a_numeric_answer_keeps_the_other_fields(auth_client, instructor, kinds_quiz):
    question = numeric_q(kinds_quiz)

    response = auth_client(instructor).patch(
        f"{QUESTIONS}{question.pk}/", {"numeric_answer": "300"}, format="json"
    )

    assert response.status_code == 200
    question.refresh_from_db()
    assert (question.numeric_answer, question.tolerance) == (Decimal(300), TOLERANCE)


def test_a_numeric_question_turned_single_choice_drops_its_number(
    auth_client, instructor, kinds_quiz
):
    question = numeric_q(kinds_quiz)

    response = auth_client(instructor).patch(
        f"{QUESTIONS}{question.pk}/",
        {"kind": "single_choice", "choices": [{"text": "a", "is_correct": True}, {"text": "b"}]},
        format="json",
    )

    assert response.status_code == 200, response.content
    question.refresh_from_db()
    assert (question.numeric_answer, question.tolerance) == (None, None)


def test_a_duplicated_quiz_keeps_the_answers_of_the_new_kinds(auth_client, instructor, kinds_quiz):
    response = auth_client(instructor).post(f"/api/v1/quizzes/{kinds_quiz.pk}/duplicate/")

    assert response.status_code == 201
    numeric, ordering = response.json()["questions"]
    assert (numeric["numeric_answer"], numeric["tolerance"]) == (273.15, 0.05)
    assert [c["text"] for c in ordering["choices"]] == STEPS


# --- grading -------------------------------------------------------------------------


def submit(client, quiz, answers):
    return client.post(f"/api/v1/quizzes/{quiz.pk}/submit/", {"answers": answers}, format="json")


@pytest.mark.parametrize(
    ("number", "correct"),
    [
        ("273.15", True),
        ("273.2", True),  # exactly at the tolerance
        ("273.100000", True),
        (273.21, False),
        ("273.09", False),
        (-273.15, False),
    ],
)
def test_a_numeric_answer_scores_within_the_tolerance(
    auth_client, enrolled, kinds_quiz, number, correct
):
    answer = {"question": numeric_q(kinds_quiz).pk, "number": number}

    response = submit(auth_client(enrolled), kinds_quiz, [answer])

    assert response.status_code == 201, response.content
    result = response.json()["results"][0]
    assert result == {"question": answer["question"], "correct": correct, "awarded_points": correct}
    assert Decimal(str(response.json()["score"])) == (1 if correct else 0)


def test_only_the_exact_order_scores(auth_client, enrolled, kinds_quiz):
    question = ordering_q(kinds_quiz)
    right = authored_ids(question)
    client = auth_client(enrolled)

    wrong = submit(client, kinds_quiz, [{"question": question.pk, "order": right[::-1]}]).json()
    almost = [*right[:4], right[5], right[4]]
    nearly = submit(client, kinds_quiz, [{"question": question.pk, "order": almost}]).json()
    exact = submit(client, kinds_quiz, [{"question": question.pk, "order": right}]).json()

    assert [r["results"][1]["awarded_points"] for r in (wrong, nearly, exact)] == [0, 0, 2]
    assert exact["results"][1]["correct"] is True
    assert (exact["score"], exact["max_score"], exact["percent"]) == (2, 3, 66.67)
    assert exact["passed"] is True  # pass_percent 60


def test_full_marks_on_both_kinds_pass_with_100_percent(auth_client, enrolled, kinds_quiz):
    answers = [
        {"question": numeric_q(kinds_quiz).pk, "number": "273.15"},
        {"question": ordering_q(kinds_quiz).pk, "order": authored_ids(ordering_q(kinds_quiz))},
    ]

    body = submit(auth_client(enrolled), kinds_quiz, answers).json()

    assert (body["percent"], body["passed"], body["status"]) == (100, True, "graded")


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda ids: ids[:-1], "order"),  # one left out
        (lambda ids: [*ids[:-1], ids[0]], "order"),  # one twice
        (lambda ids: [*ids, ids[0]], "order"),
        (lambda ids: [*ids[:-1], 999999], "order"),  # not a choice of it
    ],
)
def test_an_order_that_is_not_every_choice_once_is_a_400(
    auth_client, enrolled, kinds_quiz, build, field
):
    question = ordering_q(kinds_quiz)

    response = submit(
        auth_client(enrolled),
        kinds_quiz,
        [{"question": question.pk, "order": build(authored_ids(question))}],
    )

    assert response.status_code == 400
    assert response.json()["answers"] == [
        {"order": ["Give every choice of this question exactly once."]}
    ]
    assert not QuizSubmission.objects.exists()


@pytest.mark.parametrize(
    ("kind", "payload", "field"),
    [
        ("numeric", {"text": "273"}, "text"),
        ("numeric", {"choices": [1]}, "choices"),
        ("numeric", {"order": [1, 2]}, "order"),
        ("ordering", {"number": 3}, "number"),
        ("ordering", {"choices": [1]}, "choices"),
        ("ordering", {"text": "abc"}, "text"),
    ],
)
def test_an_answer_field_of_another_kind_is_a_400(
    auth_client, enrolled, kinds_quiz, kind, payload, field
):
    question = kinds_quiz.questions.get(kind=kind)

    response = submit(auth_client(enrolled), kinds_quiz, [{"question": question.pk, **payload}])

    assert response.status_code == 400
    assert list(response.json()["answers"][0]) == [field]
    assert not Answer.objects.exists()


def test_a_number_that_is_not_one_is_a_400(auth_client, enrolled, kinds_quiz):
    for number in ("abc", "NaN", "Infinity", "1e400", "1.1234567"):
        response = submit(
            auth_client(enrolled),
            kinds_quiz,
            [{"question": numeric_q(kinds_quiz).pk, "number": number}],
        )
        assert response.status_code == 400, number
    assert not QuizSubmission.objects.exists()


def test_unanswered_new_kinds_score_zero(auth_client, enrolled, kinds_quiz):
    answers = [
        {"question": numeric_q(kinds_quiz).pk, "number": None},
        {"question": ordering_q(kinds_quiz).pk, "order": []},
    ]

    body = submit(auth_client(enrolled), kinds_quiz, answers).json()

    assert (body["score"], body["percent"], body["passed"]) == (0, 0, False)


# --- saving, resuming, reading the attempt back --------------------------------------


def test_saved_answers_of_the_new_kinds_are_restored_and_graded(auth_client, enrolled, kinds_quiz):
    client = auth_client(enrolled)
    sid = client.post(f"/api/v1/quizzes/{kinds_quiz.pk}/start/").json()["submission_id"]
    question = ordering_q(kinds_quiz)
    right = authored_ids(question)
    answers_url = f"/api/v1/quiz-submissions/{sid}/answers/"

    saved = client.put(
        answers_url,
        {
            "answers": [
                {"question": numeric_q(kinds_quiz).pk, "number": "273.16"},
                {"question": question.pk, "order": right[::-1]},
            ]
        },
        format="json",
    )
    client.put(answers_url, {"answers": [{"question": question.pk, "order": right}]}, format="json")
    restored = client.get(answers_url).json()["answers"]
    graded = client.post(
        f"/api/v1/quizzes/{kinds_quiz.pk}/submit/",
        {"submission_id": sid, "answers": []},
        format="json",
    )

    assert saved.status_code == 200
    assert [(a["number"], a["order"]) for a in restored] == [(273.16, []), (None, right)]
    assert graded.json()["percent"] == 100
    detail = client.get(f"/api/v1/quiz-submissions/{sid}/").json()
    assert [(a["number"], a["order"], a["correct"]) for a in detail["answers"]] == [
        (273.16, [], True),
        (None, right, True),
    ]


def test_the_expiry_sweep_grades_saved_answers_of_the_new_kinds(auth_client, enrolled, kinds_quiz):
    client = auth_client(enrolled)
    sid = client.post(f"/api/v1/quizzes/{kinds_quiz.pk}/start/").json()["submission_id"]
    client.put(
        f"/api/v1/quiz-submissions/{sid}/answers/",
        {"answers": [{"question": numeric_q(kinds_quiz).pk, "number": str(ANSWER)}]},
        format="json",
    )
    QuizSubmission.objects.filter(pk=sid).update(expires_at="2000-01-01T00:00:00Z")

    assert quiz_attempts_close_expired() == 1
    submission = QuizSubmission.objects.get(pk=sid)
    assert (submission.status, submission.score, submission.max_score) == ("graded", 1, 3)


def test_results_count_the_new_kinds(auth_client, enrolled, instructor, kinds_quiz):
    answers = [
        {"question": numeric_q(kinds_quiz).pk, "number": "1"},
        {"question": ordering_q(kinds_quiz).pk, "order": authored_ids(ordering_q(kinds_quiz))},
    ]
    submit(auth_client(enrolled), kinds_quiz, answers)

    body = auth_client(instructor).get(f"/api/v1/quizzes/{kinds_quiz.pk}/results/").json()

    rates = {q["kind"]: q["correct_rate"] for q in body["questions"]}
    assert rates == {"numeric": 0.0, "ordering": 1.0}
    assert body["average_percent"] == 66.67
