"""The Django admin writes quizzes, questions and grades through the services' rules."""

import json
from decimal import Decimal

import pytest
from django.contrib.admin.models import ADDITION, LogEntry

from lms.courses.tests.factories import CourseFactory, LessonFactory
from lms.quizzes.models import Question, Quiz, QuizSubmission

from .conftest import question

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def management(prefix: str, total: int, initial: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def new_question(quiz, *, order="", kind="single_choice", choices=(), accepted="[]") -> dict:
    data = {
        "quiz": quiz.pk,
        "text": "Largest planet?",
        "kind": kind,
        "points": 1,
        "order": order,
        "accepted_answers": accepted,
        **management("choices", len(choices), 0),
    }
    for index, (text, correct) in enumerate(choices):
        data[f"choices-{index}-text"] = text
        if correct:
            data[f"choices-{index}-is_correct"] = "on"
    return data


def orders(quiz) -> list[tuple[int, str]]:
    return list(quiz.questions.order_by("order").values_list("order", "text"))


# --- questions -----------------------------------------------------------------------


def test_adding_a_question_at_a_taken_position_moves_the_others_down(admin_client, quiz):
    data = new_question(quiz, order=1, choices=[("Jupiter", True), ("Mars", False)])

    response = admin_client.post("/admin/quizzes/question/add/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert [o for o, _ in orders(quiz)] == [1, 2, 3, 4, 5]
    assert orders(quiz)[0] == (1, "Largest planet?")
    added = quiz.questions.get(order=1)
    assert sorted(added.choices.values_list("text", "is_correct")) == [
        ("Jupiter", True),
        ("Mars", False),
    ]
    assert LogEntry.objects.filter(object_id=str(added.pk), action_flag=ADDITION).exists()


def test_a_question_without_its_correct_choice_is_refused(admin_client, quiz):
    data = new_question(quiz, choices=[("Jupiter", False), ("Mars", False)])

    response = admin_client.post("/admin/quizzes/question/add/", data)

    assert response.status_code == 200
    assert "Mark exactly one choice as correct." in response.content.decode()
    assert quiz.questions.count() == 4


def test_moving_a_question_on_its_page_keeps_the_order_dense(admin_client, quiz):
    last = question(quiz, 4)
    data = {
        "quiz": quiz.pk,
        "text": last.text,
        "kind": last.kind,
        "points": last.points,
        "order": 1,
        "accepted_answers": '["42", "forty-two"]',
        **management("choices", 0, 0),
    }

    response = admin_client.post(f"/admin/quizzes/question/{last.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert [text for _, text in orders(quiz)] == [
        "The answer to everything?",
        "Capital of France?",
        "Primes?",
        "Water is wet.",
    ]


def test_deleting_a_question_closes_the_gap(admin_client, quiz):
    response = admin_client.post(
        f"/admin/quizzes/question/{question(quiz, 2).pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert [o for o, _ in orders(quiz)] == [1, 2, 3]


def test_deleting_several_questions_at_once_keeps_the_order_dense(admin_client, quiz):
    picked = [question(quiz, 1).pk, question(quiz, 3).pk]

    response = admin_client.post(
        "/admin/quizzes/question/",
        {"action": "delete_selected", "_selected_action": picked, "post": "yes"},
    )

    assert response.status_code == 302
    assert orders(quiz) == [(1, "Primes?"), (2, "The answer to everything?")]


# --- quizzes and their question rows --------------------------------------------------


def quiz_form(quiz, rows: list[dict], **changes) -> dict:
    data = {
        "lesson": "",
        "title": quiz.title,
        "description": "",
        "time_limit_minutes": "",
        "max_attempts": 3,
        "pass_percent": 60,
        "is_published": "on",
        **management("questions", len(rows), quiz.questions.count() if quiz.pk else 0),
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"questions-{index}-{name}"] = value
    return {**data, **changes}


def existing_rows(quiz) -> list[dict]:
    return [
        {
            "id": q.pk,
            "quiz": quiz.pk,
            "text": q.text,
            "kind": q.kind,
            "points": q.points,
            "accepted_answers": json.dumps(q.accepted_answers),
        }
        for q in quiz.questions.order_by("order")
    ]


def test_a_quiz_added_in_the_admin_is_created_by_the_service(admin_client, course):
    data = {"course": course.pk, **quiz_form(Quiz(title="Fresh"), [])}

    response = admin_client.post("/admin/quizzes/quiz/add/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert Quiz.objects.get(title="Fresh").course == course


def test_a_short_answer_row_added_on_the_quiz_page_goes_last(admin_client, quiz):
    row = {"quiz": quiz.pk, "text": "Two plus two?", "kind": "short_answer", "points": 1}
    data = quiz_form(quiz, [*existing_rows(quiz), {**row, "accepted_answers": '["4"]'}])

    response = admin_client.post(f"/admin/quizzes/quiz/{quiz.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert orders(quiz)[-1] == (5, "Two plus two?")


def test_a_choice_question_row_without_choices_is_refused(admin_client, quiz):
    row = {"quiz": quiz.pk, "text": "Largest planet?", "kind": "single_choice", "points": 1}
    data = quiz_form(quiz, [*existing_rows(quiz), {**row, "accepted_answers": "[]"}])

    response = admin_client.post(f"/admin/quizzes/quiz/{quiz.pk}/change/", data)

    assert response.status_code == 200
    assert "Mark exactly one choice as correct." in response.content.decode()
    assert quiz.questions.count() == 4


def test_a_quiz_on_a_lesson_of_another_course_is_refused(admin_client, quiz):
    foreign = LessonFactory(module__course=CourseFactory())
    data = quiz_form(quiz, existing_rows(quiz), lesson=foreign.pk, title="Moved?")

    response = admin_client.post(f"/admin/quizzes/quiz/{quiz.pk}/change/", data)

    assert response.status_code == 200
    assert "This lesson belongs to another course." in response.content.decode()
    assert Quiz.objects.get(pk=quiz.pk).title == "Basics"


# --- grading -------------------------------------------------------------------------


@pytest.fixture
def in_review(auth_client, enrolled, quiz, answers_for):
    """A submitted attempt with every question right but the short answer, waiting for review."""
    body = (
        auth_client(enrolled)
        .post(
            f"/api/v1/quizzes/{quiz.pk}/submit/",
            {"answers": answers_for(q1="Paris", q2=["2", "3"], q3="True", q4="about 42")},
        )
        .json()
    )
    assert body["status"] == "needs_review"
    return QuizSubmission.objects.get(pk=body["id"])


def answers_form(submission, points: dict[int, str]) -> dict:
    answers = list(submission.answers.order_by("question__order"))
    data = management("answers", len(answers), len(answers))
    for index, answer in enumerate(answers):
        data[f"answers-{index}-id"] = answer.pk
        data[f"answers-{index}-submission"] = submission.pk
        given = points.get(answer.question.order)
        current = "" if answer.awarded_points is None else answer.awarded_points
        data[f"answers-{index}-awarded_points"] = given if given is not None else current
    return data


def test_points_given_in_the_admin_rescore_the_attempt(admin_client, in_review):
    url = f"/admin/quizzes/quizsubmission/{in_review.pk}/change/"

    response = admin_client.post(url, answers_form(in_review, {4: "1"}))

    assert response.status_code == 302, response.content.decode()[:3000]
    in_review.refresh_from_db()
    assert (in_review.status, in_review.score, in_review.passed) == ("graded", Decimal(5), True)


def test_points_for_a_choice_answer_are_refused_in_the_admin(admin_client, in_review):
    url = f"/admin/quizzes/quizsubmission/{in_review.pk}/change/"

    response = admin_client.post(url, answers_form(in_review, {1: "0"}))

    assert response.status_code == 200
    assert "Only short answers are graded by hand." in response.content.decode()
    in_review.refresh_from_db()
    assert (in_review.status, in_review.score) == ("needs_review", Decimal(4))


def test_attempts_cannot_be_added_in_the_admin(admin_client):
    assert admin_client.get("/admin/quizzes/quizsubmission/add/").status_code == 403


def test_a_short_answer_without_accepted_answers_is_refused(admin_client, quiz):
    data = new_question(quiz, kind="short_answer")

    response = admin_client.post("/admin/quizzes/question/add/", data)

    assert response.status_code == 200
    assert "Give at least one accepted answer." in response.content.decode()
    assert Question.objects.filter(quiz=quiz).count() == 4


def test_a_zero_minute_time_limit_is_refused_in_the_admin(admin_client, quiz):
    data = quiz_form(quiz, existing_rows(quiz), time_limit_minutes=0)

    response = admin_client.post(f"/admin/quizzes/quiz/{quiz.pk}/change/", data)

    assert response.status_code == 200
    assert Quiz.objects.get(pk=quiz.pk).time_limit_minutes is None
