"""The Django admin keeps the questions of an attempted quiz frozen, like the API's 409."""

import pytest

from lms.quizzes.models import Choice, Question, Quiz

from .factories import QuizSubmissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def attempted(quiz, enrolled):
    """`quiz` after a student started an attempt."""
    QuizSubmissionFactory(quiz=quiz, student=enrolled)
    return quiz


def quiz_url(quiz) -> str:
    return f"/admin/quizzes/quiz/{quiz.pk}/change/"


def question_url(question, view="change") -> str:
    return f"/admin/quizzes/question/{question.pk}/{view}/"


def question_form(question, **changes) -> dict:
    data = {
        "quiz": question.quiz_id,
        "text": question.text,
        "kind": question.kind,
        "points": question.points,
        "order": question.order,
        "accepted_answers": "[]",
        "choices-TOTAL_FORMS": "0",
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
    }
    return {**data, **changes}


def test_admin_pages_render(admin_client, attempted):
    question = attempted.questions.first()
    for url in (
        "/admin/quizzes/quiz/",
        quiz_url(attempted),
        "/admin/quizzes/question/",
        question_url(question),
        "/admin/quizzes/quizsubmission/",
        f"/admin/quizzes/quizsubmission/{attempted.submissions.get().pk}/change/",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_a_quiz_without_attempts_has_editable_questions(admin_client, quiz):
    page = admin_client.get(quiz_url(quiz)).content.decode()
    question_page = admin_client.get(question_url(quiz.questions.first())).content.decode()

    assert 'name="questions-0-text"' in page
    assert 'name="questions-MAX_NUM_FORMS" value="1000"' in page
    assert 'name="text"' in question_page
    assert 'name="choices-0-text"' in question_page


def test_an_attempted_quiz_shows_its_questions_read_only(admin_client, attempted):
    first = attempted.questions.get(order=1)

    page = admin_client.get(quiz_url(attempted)).content.decode()

    assert first.text in page
    assert 'name="questions-0-text"' not in page
    assert 'name="questions-MAX_NUM_FORMS" value="0"' in page  # no row can be added
    assert 'name="questions-0-DELETE"' not in page


def test_an_attempted_quizs_question_and_choices_are_read_only(admin_client, attempted):
    question = attempted.questions.get(order=1)

    page = admin_client.get(question_url(question)).content.decode()

    assert question.text in page and "Paris" in page
    assert 'name="text"' not in page
    assert 'name="choices-0-text"' not in page
    assert 'name="choices-MAX_NUM_FORMS" value="0"' in page


def test_changing_an_attempted_quizs_question_is_forbidden(admin_client, attempted):
    question = attempted.questions.get(order=1)

    response = admin_client.post(question_url(question), question_form(question, text="Changed?"))

    assert response.status_code == 403
    question.refresh_from_db()
    assert question.text == "Capital of France?"


def test_deleting_an_attempted_quizs_question_is_forbidden(admin_client, attempted):
    question = attempted.questions.get(order=1)

    response = admin_client.post(question_url(question, "delete"), {"post": "yes"})

    assert response.status_code == 403
    assert Question.objects.filter(pk=question.pk).exists()


def test_adding_a_question_to_an_attempted_quiz_is_refused(admin_client, attempted):
    question = attempted.questions.get(order=1)
    data = question_form(question, text="One more?", order=5)

    response = admin_client.post("/admin/quizzes/question/add/", data)

    assert response.status_code == 200  # the form again, with the error
    assert "duplicate the quiz" in response.content.decode()
    assert attempted.questions.count() == 4


def test_the_quiz_form_does_not_write_its_frozen_questions(admin_client, attempted):
    question = attempted.questions.get(order=1)
    data = {
        "course": attempted.course_id,
        "lesson": "",
        "title": "Renamed",
        "description": "",
        "time_limit_minutes": "",
        "max_attempts": 3,
        "pass_percent": 60,
        "is_published": "on",
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "1",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
        "questions-0-id": question.pk,
        "questions-0-quiz": attempted.pk,
        "questions-0-order": 1,
        "questions-0-text": "Tampered?",
        "questions-0-kind": question.kind,
        "questions-0-points": 9,
        "questions-0-accepted_answers": "[]",
        "questions-0-DELETE": "on",
    }

    response = admin_client.post(quiz_url(attempted), data)

    assert response.status_code == 302
    assert Quiz.objects.get(pk=attempted.pk).title == "Renamed"  # the quiz's settings still change
    question.refresh_from_db()
    assert (question.text, question.points) == ("Capital of France?", 1)


def test_deleting_an_attempted_quiz_in_the_admin_is_refused(admin_client, attempted):
    response = admin_client.post(f"/admin/quizzes/quiz/{attempted.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Quiz.objects.filter(pk=attempted.pk).exists()
    assert Choice.objects.filter(question__quiz=attempted).count() == 8
