"""No endpoint a student can reach ever tells them which answer is right before they submit."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from lms.courses.tests.factories import CourseFactory
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.quizzes.models import QuizSubmission

from .factories import ChoiceFactory, QuestionFactory, QuizFactory, quiz_with_every_kind

pytestmark = pytest.mark.django_db

SECRET_ANSWER = "zebra-accepted-secret"
CORRECT_TEXT = "the-right-one"
KEYS_NEVER_SHOWN = ('"is_correct"', '"accepted_answers"', SECRET_ANSWER)


@pytest.fixture
def secret_quiz(course):
    """A quiz whose right answers carry unmistakable texts."""
    quiz = QuizFactory(course=course, title="Secrets", max_attempts=2)
    single = QuestionFactory(quiz=quiz, order=1)
    ChoiceFactory(question=single, text=CORRECT_TEXT, is_correct=True)
    ChoiceFactory(question=single, text="a-wrong-one")
    QuestionFactory(quiz=quiz, order=2, kind="short_answer", accepted_answers=[SECRET_ANSWER])
    return quiz


def test_every_student_endpoint_before_submitting_hides_the_answers(
    auth_client, enrolled, secret_quiz, course
):
    client = auth_client(enrolled)
    quiz = secret_quiz
    q1, q2 = quiz.questions.order_by("order")
    right, wrong = q1.choices.order_by("id")
    foreign_quiz = quiz_with_every_kind(course=course)
    closed_quiz = quiz_with_every_kind(course=CourseFactory())  # not enrolled there
    base = f"/api/v1/quizzes/{quiz.pk}/"
    responses = {}

    def call(name, method, url, data=None):
        response = getattr(client, method)(url, data)
        responses[name] = response
        return response

    call("list", "get", "/api/v1/quizzes/")
    call("list-by-course", "get", "/api/v1/quizzes/", {"course_id": course.pk})
    call("detail", "get", base)
    start = call("start", "post", f"{base}start/")
    sid = start.json()["submission_id"]
    call("submissions", "get", "/api/v1/quiz-submissions/")
    call(
        "find-open",
        "get",
        "/api/v1/quiz-submissions/",
        {"quiz_id": quiz.pk, "status": "in_progress"},
    )
    call("submission-open", "get", f"/api/v1/quiz-submissions/{sid}/")
    save_url = f"/api/v1/quiz-submissions/{sid}/answers/"
    call(
        "save",
        "put",
        save_url,
        {"answers": [{"question": q1.pk, "choices": [right.pk]}, {"question": q2.pk, "text": "x"}]},
    )
    call("save-again", "put", save_url, {"answers": [{"question": q1.pk, "choices": [wrong.pk]}]})
    call(
        "save-foreign-choice",
        "put",
        save_url,
        {
            "answers": [
                {"question": q1.pk, "choices": [foreign_quiz.questions.first().choices.first().pk]}
            ]
        },
    )
    call("save-text-for-choice", "put", save_url, {"answers": [{"question": q1.pk, "text": "?"}]})
    call("submission-saved", "get", f"/api/v1/quiz-submissions/{sid}/")
    call("read-saved", "get", save_url)
    foreign_q = foreign_quiz.questions.first()
    call(
        "foreign-question",
        "post",
        f"{base}submit/",
        {"answers": [{"question": foreign_q.pk, "choices": []}]},
    )
    call(
        "foreign-choice",
        "post",
        f"{base}submit/",
        {"answers": [{"question": q1.pk, "choices": [foreign_q.choices.first().pk]}]},
    )
    call(
        "two-choices",
        "post",
        f"{base}submit/",
        {"answers": [{"question": q1.pk, "choices": [right.pk, wrong.pk]}]},
    )
    call(
        "text-for-choice",
        "post",
        f"{base}submit/",
        {"answers": [{"question": q1.pk, "text": "guess"}]},
    )
    call(
        "choices-for-text",
        "post",
        f"{base}submit/",
        {"answers": [{"question": q2.pk, "choices": [right.pk]}]},
    )
    call(
        "duplicate",
        "post",
        f"{base}submit/",
        {"answers": [{"question": q1.pk}, {"question": q1.pk}]},
    )
    call("bad-submission", "post", f"{base}submit/", {"submission_id": 0, "answers": []})
    call("not-enrolled-detail", "get", f"/api/v1/quizzes/{closed_quiz.pk}/")
    call("not-enrolled-start", "post", f"/api/v1/quizzes/{closed_quiz.pk}/start/")
    call("questions", "get", "/api/v1/questions/", {"quiz_id": quiz.pk})
    call("question", "get", f"/api/v1/questions/{q1.pk}/")
    call("results", "get", f"{base}results/")
    call("duplicate-quiz", "post", f"{base}duplicate/")
    call(
        "grade",
        "patch",
        f"/api/v1/quiz-submissions/{sid}/grade/",
        {"answers": [{"question": q2.pk, "points": 1}]},
    )
    call("start-again", "post", f"{base}start/")  # closes the open attempt, graded

    statuses = {name: r.status_code for name, r in responses.items()}
    assert statuses == {
        "list": 200,
        "list-by-course": 200,
        "detail": 200,
        "start": 201,
        "submissions": 200,
        "find-open": 200,
        "submission-open": 200,
        "save": 200,
        "save-again": 200,
        "save-foreign-choice": 400,
        "save-text-for-choice": 400,
        "submission-saved": 200,
        "read-saved": 200,
        "foreign-question": 400,
        "foreign-choice": 400,
        "two-choices": 400,
        "text-for-choice": 400,
        "choices-for-text": 400,
        "duplicate": 400,
        "bad-submission": 400,
        "not-enrolled-detail": 403,
        "not-enrolled-start": 403,
        "questions": 403,
        "question": 403,
        "results": 403,
        "duplicate-quiz": 403,
        "grade": 403,
        "start-again": 201,
    }
    for name, response in responses.items():
        body = response.content.decode()
        for secret in (*KEYS_NEVER_SHOWN, '"correct"'):
            assert secret not in body, f"{name} shows {secret}: {body}"
        if response.status_code >= 400:
            assert CORRECT_TEXT not in body, f"{name} names the right choice: {body}"
    saved = responses["save-again"].json()["answers"]
    assert [set(a) for a in saved] == [{"question", "choices", "text", "number", "order"}] * 2
    assert responses["read-saved"].json()["answers"] == saved
    assert [s["id"] for s in responses["find-open"].json()["results"]] == [sid]
    detail = responses["detail"].json()
    choices = detail["questions"][0]["choices"]
    assert [set(c) for c in choices] == [{"id", "text"}, {"id", "text"}]
    assert set(detail["questions"][1]) == {"id", "text", "kind", "points", "order", "choices"}


def test_after_submitting_only_per_question_correctness_is_shown(
    auth_client, enrolled, secret_quiz
):
    client = auth_client(enrolled)
    q1, q2 = secret_quiz.questions.order_by("order")
    wrong = q1.choices.get(is_correct=False)
    base = f"/api/v1/quizzes/{secret_quiz.pk}/"

    result = client.post(
        f"{base}submit/",
        {
            "answers": [
                {"question": q1.pk, "choices": [wrong.pk]},
                {"question": q2.pk, "text": "no idea"},
            ]
        },
    )
    sid = result.json()["id"]
    bodies = [
        result,
        client.get("/api/v1/quiz-submissions/"),
        client.get(f"/api/v1/quiz-submissions/{sid}/"),
        client.get(base),
        client.post(f"{base}submit/", {"submission_id": sid, "answers": []}),  # 409
    ]

    assert [r.status_code for r in bodies] == [201, 200, 200, 200, 409]
    for response in bodies:
        body = response.content.decode()
        for secret in KEYS_NEVER_SHOWN:
            assert secret not in body
        assert CORRECT_TEXT not in body or response is bodies[3]  # the quiz lists its choices
    answers = bodies[2].json()["answers"]
    assert [(a["correct"], a["choices"]) for a in answers] == [(False, [wrong.pk]), (None, [])]


def test_a_late_submission_error_hides_the_answers(auth_client, enrolled, secret_quiz):
    long_ago = timezone.now() - timedelta(hours=2)
    attempt = QuizSubmission.objects.create(
        quiz=secret_quiz, student=enrolled, attempt=1, started_at=long_ago, expires_at=long_ago
    )

    response = auth_client(enrolled).post(
        f"/api/v1/quizzes/{secret_quiz.pk}/submit/", {"submission_id": attempt.pk, "answers": []}
    )

    assert response.status_code == 400
    for secret in (*KEYS_NEVER_SHOWN, CORRECT_TEXT, '"correct"'):
        assert secret not in response.content.decode()


def test_no_attempts_left_error_hides_the_answers(auth_client, course, secret_quiz):
    student = EnrollmentFactory(course=course).student
    client = auth_client(student)
    for _ in range(2):
        client.post(f"/api/v1/quizzes/{secret_quiz.pk}/submit/", {"answers": []})

    response = client.post(f"/api/v1/quizzes/{secret_quiz.pk}/start/")

    assert response.status_code == 409
    assert json.loads(response.content) == {
        "detail": "You have used all 2 attempts at this quiz.",
        "code": "attempts_exhausted",
    }
