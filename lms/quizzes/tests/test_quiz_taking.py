"""Taking a quiz: the student's view of it, and starting attempts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lms.enrollments.models import Enrollment
from lms.quizzes.models import QuizSubmission

from .conftest import question
from .factories import QuizFactory, QuizSubmissionFactory

pytestmark = pytest.mark.django_db


def detail_url(quiz) -> str:
    return f"/api/v1/quizzes/{quiz.pk}/"


def start_url(quiz) -> str:
    return f"/api/v1/quizzes/{quiz.pk}/start/"


def submit_url(quiz) -> str:
    return f"/api/v1/quizzes/{quiz.pk}/submit/"


# --- the quiz as a student sees it ---------------------------------------------------


def test_enrolled_student_sees_questions_and_choices_without_answers(auth_client, enrolled, quiz):
    response = auth_client(enrolled).get(detail_url(quiz))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["question_count"] == 4
    assert [q["order"] for q in body["questions"]] == [1, 2, 3, 4]
    assert body["questions"][0]["choices"] == [
        {"id": c.pk, "text": c.text} for c in question(quiz, 1).choices.order_by("id")
    ]
    assert body["questions"][3]["choices"] == []
    for q in body["questions"]:
        assert set(q) == {"id", "text", "kind", "points", "order", "choices"}


def test_course_instructor_sees_the_answers_in_the_detail(auth_client, instructor, quiz):
    body = auth_client(instructor).get(detail_url(quiz)).json()

    assert {c["text"]: c["is_correct"] for c in body["questions"][0]["choices"]} == {
        "Paris": True,
        "Rome": False,
        "Madrid": False,
    }
    assert body["questions"][3]["accepted_answers"] == ["42", "forty-two"]


def test_not_enrolled_student_is_refused_the_quiz(auth_client, outsider, quiz):
    assert auth_client(outsider).get(detail_url(quiz)).status_code == 403


def test_unpublished_quiz_is_hidden_from_enrolled_students(auth_client, enrolled, quiz):
    quiz.is_published = False
    quiz.save()

    assert auth_client(enrolled).get(detail_url(quiz)).status_code == 404


def test_cancelled_enrollment_closes_the_quiz(auth_client, enrolled, quiz):
    Enrollment.objects.filter(student=enrolled).update(status=Enrollment.Status.CANCELLED)

    assert auth_client(enrolled).get(detail_url(quiz)).status_code == 403
    assert auth_client(enrolled).post(start_url(quiz)).status_code == 403


def test_anonymous_cannot_read_or_take_a_quiz(api_client, quiz):
    assert api_client.get(detail_url(quiz)).status_code == 401
    assert api_client.post(start_url(quiz)).status_code == 401
    assert api_client.post(submit_url(quiz), {"answers": []}).status_code == 401


# --- start ---------------------------------------------------------------------------


def test_start_opens_an_attempt_without_a_time_limit(auth_client, enrolled, quiz):
    response = auth_client(enrolled).post(start_url(quiz))

    assert response.status_code == 201, response.content
    body = response.json()
    submission = QuizSubmission.objects.get(pk=body["submission_id"])
    assert body["attempt"] == 1
    assert body["expires_at"] is None
    assert submission.status == QuizSubmission.Status.IN_PROGRESS


def test_start_sets_expiry_from_the_time_limit(auth_client, enrolled, quiz):
    quiz.time_limit_minutes = 10
    quiz.save()

    body = auth_client(enrolled).post(start_url(quiz)).json()

    submission = QuizSubmission.objects.get(pk=body["submission_id"])
    assert submission.expires_at - submission.started_at == timedelta(minutes=10)


def test_start_again_closes_the_open_attempt_graded_on_its_saved_answers(
    auth_client, enrolled, quiz, answers_for
):
    client = auth_client(enrolled)
    first = client.post(start_url(quiz)).json()
    saved = answers_for(q1="Paris", q2=["2", "3"])  # 3 of the quiz's 5 points
    answers_url = f"/api/v1/quiz-submissions/{first['submission_id']}/answers/"
    assert client.put(answers_url, {"answers": saved}).status_code == 200

    response = client.post(start_url(quiz))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["attempt"] == 2
    assert body["submission_id"] != first["submission_id"]
    closed = QuizSubmission.objects.get(pk=first["submission_id"])
    assert closed.status == QuizSubmission.Status.GRADED
    assert (closed.score, closed.max_score, closed.passed) == (3, 5, True)
    assert closed.submitted_at is not None
    open_ones = QuizSubmission.objects.filter(
        quiz=quiz, student=enrolled, status=QuizSubmission.Status.IN_PROGRESS
    )
    assert list(open_ones.values_list("pk", flat=True)) == [body["submission_id"]]


def test_an_attempt_closed_by_a_new_start_cannot_be_submitted(
    auth_client, enrolled, quiz, all_correct
):
    client = auth_client(enrolled)
    old = client.post(start_url(quiz)).json()["submission_id"]
    client.post(start_url(quiz))

    response = client.post(submit_url(quiz), {"submission_id": old, "answers": all_correct})

    assert response.status_code == 409
    assert QuizSubmission.objects.get(pk=old).score == 0


def test_each_start_uses_an_attempt_until_none_are_left(auth_client, enrolled, quiz):
    client = auth_client(enrolled)

    codes = [client.post(start_url(quiz)).status_code for _ in range(4)]

    assert codes == [201, 201, 201, 409]
    attempts = QuizSubmission.objects.filter(quiz=quiz, student=enrolled)
    assert sorted(attempts.values_list("attempt", "status")) == [
        (1, "graded"),
        (2, "graded"),
        (3, "in_progress"),  # the refused start leaves the last attempt open
    ]


def test_the_open_last_attempt_can_still_be_submitted_after_a_refused_start(
    auth_client, enrolled, quiz, all_correct
):
    quiz.max_attempts = 1
    quiz.save()
    client = auth_client(enrolled)
    started = client.post(start_url(quiz)).json()
    assert client.post(start_url(quiz)).status_code == 409

    response = client.post(submit_url(quiz), {"answers": all_correct})

    assert response.status_code == 201
    assert response.json()["id"] == started["submission_id"]
    assert response.json()["passed"] is True


def test_start_after_an_expired_attempt_closes_it_and_opens_the_next(auth_client, enrolled, quiz):
    long_ago = timezone.now() - timedelta(hours=1)
    stale = QuizSubmissionFactory(
        quiz=quiz, student=enrolled, started_at=long_ago, expires_at=long_ago
    )

    response = auth_client(enrolled).post(start_url(quiz))

    assert response.status_code == 201
    assert response.json()["attempt"] == 2
    stale.refresh_from_db()
    assert stale.status == QuizSubmission.Status.GRADED
    assert stale.score == 0 and stale.passed is False


def test_start_past_max_attempts_is_a_conflict(auth_client, enrolled, quiz, all_correct):
    client = auth_client(enrolled)
    for _ in range(3):
        assert client.post(submit_url(quiz), {"answers": all_correct}).status_code == 201

    response = client.post(start_url(quiz))

    assert response.status_code == 409
    assert "3 attempts" in response.json()["detail"]
    assert client.post(submit_url(quiz), {"answers": all_correct}).status_code == 409
    assert QuizSubmission.objects.filter(quiz=quiz, student=enrolled).count() == 3


def test_unlimited_attempts_never_run_out(auth_client, enrolled, quiz, all_correct):
    quiz.max_attempts = None
    quiz.save()
    client = auth_client(enrolled)
    for _ in range(5):
        assert client.post(submit_url(quiz), {"answers": all_correct}).status_code == 201


def test_a_quiz_without_questions_cannot_be_started(auth_client, enrolled, course):
    empty = QuizFactory(course=course)

    assert auth_client(enrolled).post(start_url(empty)).status_code == 409


@pytest.mark.parametrize("role", ["outsider", "instructor", "other_instructor", "admin"])
def test_only_enrolled_students_start(auth_client, quiz, role, request):
    user = request.getfixturevalue(role)

    assert auth_client(user).post(start_url(quiz)).status_code == 403
    assert auth_client(user).post(submit_url(quiz), {"answers": []}).status_code == 403
    assert not QuizSubmission.objects.exists()


def test_unpublished_quiz_cannot_be_started(auth_client, enrolled, quiz):
    quiz.is_published = False
    quiz.save()

    assert auth_client(enrolled).post(start_url(quiz)).status_code == 404
    assert auth_client(enrolled).post(submit_url(quiz), {"answers": []}).status_code == 404
