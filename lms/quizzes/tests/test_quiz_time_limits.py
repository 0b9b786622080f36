"""Time limits cannot be skipped: a timed quiz's questions come only with a running clock."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lms.quizzes.models import QuizSubmission
from lms.quizzes.tasks import close_expired_quiz_attempts

from .factories import QuizSubmissionFactory

pytestmark = pytest.mark.django_db


def detail_url(quiz) -> str:
    return f"/api/v1/quizzes/{quiz.pk}/"


def start_url(quiz) -> str:
    return f"/api/v1/quizzes/{quiz.pk}/start/"


def submit_url(quiz) -> str:
    return f"/api/v1/quizzes/{quiz.pk}/submit/"


@pytest.fixture
def timed(quiz):
    """`quiz` (4 questions, 3 attempts) with a one-minute time limit."""
    quiz.time_limit_minutes = 1
    quiz.save(update_fields=["time_limit_minutes"])
    return quiz


def _age(submission_id: int, minutes: int) -> None:
    """Move an attempt `minutes` into the past, as if the student had waited that long."""
    submission = QuizSubmission.objects.get(pk=submission_id)
    submission.started_at -= timedelta(minutes=minutes)
    submission.expires_at -= timedelta(minutes=minutes)
    submission.save(update_fields=["started_at", "expires_at"])


# --- the questions come with the clock -----------------------------------------------


def test_a_timed_quiz_shows_no_questions_before_start(auth_client, enrolled, timed):
    response = auth_client(enrolled).get(detail_url(timed))

    assert response.status_code == 200
    body = response.json()
    assert body["questions"] == []
    assert (body["question_count"], body["time_limit_minutes"]) == (4, 1)
    assert not QuizSubmission.objects.exists()  # reading starts nothing


def test_start_serves_the_questions_while_the_attempt_runs(auth_client, enrolled, timed):
    client = auth_client(enrolled)
    started = client.post(start_url(timed)).json()

    during = client.get(detail_url(timed)).json()
    _age(started["submission_id"], 2)
    after = client.get(detail_url(timed)).json()

    assert [q["order"] for q in during["questions"]] == [1, 2, 3, 4]
    assert "is_correct" not in during["questions"][0]["choices"][0]
    assert after["questions"] == []


def test_a_submitted_attempt_no_longer_serves_the_questions(
    auth_client, enrolled, timed, all_correct
):
    client = auth_client(enrolled)
    client.post(start_url(timed))
    client.post(submit_url(timed), {"answers": all_correct})

    assert client.get(detail_url(timed)).json()["questions"] == []


def test_another_students_attempt_does_not_serve_the_questions(
    auth_client, enrolled, timed, course
):
    from lms.enrollments.tests.factories import EnrollmentFactory

    classmate = EnrollmentFactory(course=course).student
    auth_client(classmate).post(start_url(timed))

    assert auth_client(enrolled).get(detail_url(timed)).json()["questions"] == []


def test_authors_always_see_a_timed_quizs_questions(auth_client, instructor, timed):
    body = auth_client(instructor).get(detail_url(timed)).json()

    assert len(body["questions"]) == 4


def test_a_quiz_without_a_time_limit_shows_its_questions_before_start(auth_client, enrolled, quiz):
    assert quiz.time_limit_minutes is None

    assert len(auth_client(enrolled).get(detail_url(quiz)).json()["questions"]) == 4


# --- no submit escapes the clock -----------------------------------------------------


def test_read_wait_and_submit_without_start_is_refused(auth_client, enrolled, timed, all_correct):
    """The reported attack: read a one-minute quiz, wait, submit without `start`."""
    client = auth_client(enrolled)
    client.get(detail_url(timed))

    response = client.post(submit_url(timed), {"answers": all_correct})

    assert response.status_code == 409
    assert "start an attempt first" in response.json()["detail"]
    assert not QuizSubmission.objects.exists()


def test_submit_after_the_sweep_closed_the_attempt_gets_no_fresh_clock(
    auth_client, enrolled, timed, all_correct
):
    client = auth_client(enrolled)
    started = client.post(start_url(timed)).json()
    _age(started["submission_id"], 5)
    assert close_expired_quiz_attempts.delay().get() == 1

    without_id = client.post(submit_url(timed), {"answers": all_correct})
    with_id = client.post(
        submit_url(timed), {"submission_id": started["submission_id"], "answers": all_correct}
    )

    assert (without_id.status_code, with_id.status_code) == (409, 409)
    attempt = QuizSubmission.objects.get()
    assert (attempt.score, attempt.passed) == (0, False)


def test_a_late_submit_without_id_is_400_and_closes_the_attempt(
    auth_client, enrolled, timed, all_correct
):
    client = auth_client(enrolled)
    started = client.post(start_url(timed)).json()
    _age(started["submission_id"], 5)

    late = client.post(submit_url(timed), {"answers": all_correct})
    again = client.post(submit_url(timed), {"answers": all_correct})

    assert late.status_code == 400
    assert "Time is up" in late.json()["detail"]
    assert again.status_code == 409
    attempt = QuizSubmission.objects.get()
    assert (attempt.status, attempt.passed) == (QuizSubmission.Status.GRADED, False)


def test_a_started_timed_attempt_is_submitted_in_time(auth_client, enrolled, timed, all_correct):
    client = auth_client(enrolled)
    client.post(start_url(timed))

    response = client.post(submit_url(timed), {"answers": all_correct})

    assert response.status_code == 201
    assert (response.json()["attempt"], response.json()["passed"]) == (1, True)


def test_an_attempt_started_before_the_quiz_was_timed_keeps_no_limit(
    auth_client, enrolled, quiz, all_correct
):
    client = auth_client(enrolled)
    client.post(start_url(quiz))
    quiz.time_limit_minutes = 1
    quiz.save(update_fields=["time_limit_minutes"])

    assert len(client.get(detail_url(quiz)).json()["questions"]) == 4
    assert client.post(submit_url(quiz), {"answers": all_correct}).status_code == 201


# --- nor the attempt limit -----------------------------------------------------------


def test_submits_without_start_stop_at_the_attempt_limit(auth_client, enrolled, quiz, all_correct):
    client = auth_client(enrolled)

    codes = [client.post(submit_url(quiz), {"answers": all_correct}).status_code for _ in range(4)]

    assert codes == [201, 201, 201, 409]
    assert QuizSubmission.objects.filter(student=enrolled).count() == 3


def test_no_start_after_the_last_attempt_even_when_it_expired(auth_client, enrolled, timed):
    long_ago = timezone.now() - timedelta(hours=1)
    for attempt in (1, 2):
        QuizSubmissionFactory(
            quiz=timed, student=enrolled, attempt=attempt, passed=True, started_at=long_ago
        )
    QuizSubmissionFactory(
        quiz=timed, student=enrolled, attempt=3, started_at=long_ago, expires_at=long_ago
    )
    client = auth_client(enrolled)

    start = client.post(start_url(timed))

    assert start.status_code == 409
    assert client.get(detail_url(timed)).json()["questions"] == []
    assert QuizSubmission.objects.filter(status=QuizSubmission.Status.IN_PROGRESS).count() == 0
