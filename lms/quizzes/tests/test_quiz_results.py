"""Quiz results for instructors, and constant query counts on every list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.enrollments.tests.factories import EnrollmentFactory

from .conftest import choice, question
from .factories import QuestionFactory, QuizFactory, QuizSubmissionFactory, quiz_with_every_kind

pytestmark = pytest.mark.django_db


def results_url(quiz) -> str:
    return f"/api/v1/quizzes/{quiz.pk}/results/"


def take(auth_client, course, quiz, answers):
    student = EnrollmentFactory(course=course).student
    response = auth_client(student).post(f"/api/v1/quizzes/{quiz.pk}/submit/", {"answers": answers})
    assert response.status_code == 201, response.content


def test_results_summarise_submitted_attempts(auth_client, instructor, course, quiz, answers_for):
    take(auth_client, course, quiz, answers_for(q1="Paris", q2=["2", "3"], q3="True", q4="42"))
    take(auth_client, course, quiz, answers_for(q1="Paris", q2=["2"], q3="True", q4="42"))
    take(auth_client, course, quiz, answers_for(q1="Rome", q2=["2"], q3="True", q4="x"))
    QuizSubmissionFactory(quiz=quiz)  # still open: not counted

    response = auth_client(instructor).get(results_url(quiz))

    assert response.status_code == 200, response.content
    body = response.json()
    # Percents: 100, 60, 20 (the last waits for review).
    assert (body["attempts"], body["students"], body["needs_review"]) == (3, 3, 1)
    assert body["average_percent"] == 60
    assert body["median_percent"] == 60
    assert body["pass_rate"] == round(2 / 3, 4)
    rates = [(q["question"], q["correct_rate"]) for q in body["questions"]]
    # Hardest first; ties keep the quiz's order.
    assert rates == [
        (question(quiz, 2).pk, round(1 / 3, 4)),
        (question(quiz, 1).pk, round(2 / 3, 4)),
        (question(quiz, 4).pk, round(2 / 3, 4)),
        (question(quiz, 3).pk, 1.0),
    ]


def test_results_of_an_untaken_quiz_are_empty(auth_client, admin, quiz):
    body = auth_client(admin).get(results_url(quiz)).json()

    assert (body["attempts"], body["average_percent"], body["median_percent"]) == (0, None, None)
    assert body["pass_rate"] is None
    assert [q["correct_rate"] for q in body["questions"]] == [None] * 4


def test_median_of_an_even_number_of_attempts(auth_client, instructor, course, quiz, answers_for):
    take(auth_client, course, quiz, answers_for(q1="Paris"))  # 20
    take(auth_client, course, quiz, answers_for(q1="Paris", q3="True"))  # 40

    assert auth_client(instructor).get(results_url(quiz)).json()["median_percent"] == 30


@pytest.mark.parametrize("role, code", [("enrolled", 403), ("other_instructor", 403)])
def test_results_are_for_authors_only(auth_client, quiz, role, code, request):
    assert auth_client(request.getfixturevalue(role)).get(results_url(quiz)).status_code == code


def test_results_run_in_constant_queries(auth_client, instructor, course, quiz, answers_for):
    client = auth_client(instructor)
    take(auth_client, course, quiz, answers_for(q1="Paris"))

    with CaptureQueriesContext(connection) as few:
        client.get(results_url(quiz))
    for _ in range(10):
        take(auth_client, course, quiz, answers_for(q1="Rome", q4="x"))
    with CaptureQueriesContext(connection) as many:
        client.get(results_url(quiz))

    assert len(many) == len(few)


# --- query counts of the lists -------------------------------------------------------


def test_quiz_list_queries_are_constant(auth_client, assert_constant_queries, instructor, course):
    client = auth_client(instructor)
    quiz_with_every_kind(course=course)

    def grow():
        for _ in range(29):
            QuestionFactory(quiz=QuizFactory(course=course))

    assert_constant_queries(lambda: client.get("/api/v1/quizzes/", {"page_size": 100}), grow)
    assert client.get("/api/v1/quizzes/").json()["count"] == 30


def test_student_quiz_list_queries_are_constant(
    auth_client, assert_constant_queries, enrolled, course, quiz
):
    client = auth_client(enrolled)

    def grow():
        for _ in range(29):
            QuizFactory(course=course)

    assert_constant_queries(lambda: client.get("/api/v1/quizzes/", {"course_id": course.pk}), grow)


def test_question_list_queries_are_constant(auth_client, assert_constant_queries, instructor):
    client = auth_client(instructor)
    quiz = QuizFactory(course__instructor=instructor)
    first = QuestionFactory(quiz=quiz, order=1)

    def grow():
        for order in range(2, 31):
            q = QuestionFactory(quiz=quiz, order=order)
            for n in range(3):
                q.choices.create(text=f"c{n}", is_correct=n == 0)

    first.choices.create(text="only", is_correct=True)
    url = "/api/v1/questions/"
    assert_constant_queries(lambda: auth_client(instructor).get(url, {"quiz_id": quiz.pk}), grow)
    assert client.get(url, {"quiz_id": quiz.pk}).json()["count"] == 30


@pytest.mark.parametrize("role", ["enrolled", "instructor", "admin"])
def test_submission_list_queries_are_constant(
    auth_client, assert_constant_queries, course, quiz, enrolled, role, request
):
    client = auth_client(request.getfixturevalue(role))
    QuizSubmissionFactory(quiz=quiz, student=enrolled, passed=True)

    def grow():
        for attempt in range(2, 31):
            QuizSubmissionFactory(quiz=quiz, student=enrolled, attempt=attempt, passed=True)

    assert_constant_queries(lambda: client.get("/api/v1/quiz-submissions/"), grow)
    assert client.get("/api/v1/quiz-submissions/").json()["count"] == 30


def test_submission_detail_queries_do_not_grow_with_answers(auth_client, enrolled, course):
    small = quiz_with_every_kind(course=course)
    client = auth_client(enrolled)
    a = client.post(f"/api/v1/quizzes/{small.pk}/submit/", {"answers": []}).json()["id"]
    big = quiz_with_every_kind(course=course)
    for order in range(5, 25):
        q = QuestionFactory(quiz=big, order=order)
        q.choices.create(text="yes", is_correct=True)
    answers = [
        {"question": q.pk, "choices": [choice(big, q.order, "yes").pk]}
        for q in big.questions.filter(order__gte=5)
    ]
    b = client.post(f"/api/v1/quizzes/{big.pk}/submit/", {"answers": answers}).json()["id"]

    with CaptureQueriesContext(connection) as few:
        client.get(f"/api/v1/quiz-submissions/{a}/")
    with CaptureQueriesContext(connection) as many:
        client.get(f"/api/v1/quiz-submissions/{b}/")

    assert len(many) == len(few)
