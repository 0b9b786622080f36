"""Quiz windows: no start before `available_from` or after `due_at`; open attempts close at due."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lms.quizzes.models import Quiz, QuizSubmission
from lms.quizzes.services import quiz_attempts_close_expired

from .factories import QuizSubmissionFactory

pytestmark = pytest.mark.django_db

QUIZZES = "/api/v1/quizzes/"


def ago(**kwargs):
    return timezone.now() - timedelta(**kwargs)


def later(**kwargs):
    return timezone.now() + timedelta(**kwargs)


def window(quiz, *, available_from=None, due_at=None) -> Quiz:
    quiz.available_from, quiz.due_at = available_from, due_at
    quiz.save(update_fields=["available_from", "due_at"])
    return quiz


# --- authoring -----------------------------------------------------------------------


def test_the_author_sets_a_window(auth_client, instructor, quiz):
    opens, due = later(days=1), later(days=8)

    response = auth_client(instructor).patch(
        f"{QUIZZES}{quiz.pk}/",
        {"available_from": opens.isoformat(), "due_at": due.isoformat()},
        format="json",
    )

    assert response.status_code == 200
    quiz.refresh_from_db()
    assert (quiz.available_from, quiz.due_at) == (opens, due)


@pytest.mark.parametrize("due_offset", [timedelta(0), timedelta(hours=-1)])
def test_a_due_time_not_after_the_opening_is_a_400_that_changes_nothing(
    auth_client, instructor, quiz, course, due_offset
):
    opens = later(days=1)
    client = auth_client(instructor)

    created = client.post(
        QUIZZES,
        {
            "course": course.pk,
            "title": "Windowed",
            "available_from": opens.isoformat(),
            "due_at": (opens + due_offset).isoformat(),
        },
        format="json",
    )
    window(quiz, available_from=opens)
    changed = client.patch(
        f"{QUIZZES}{quiz.pk}/", {"due_at": (opens + due_offset).isoformat()}, format="json"
    )

    assert created.status_code == changed.status_code == 400
    assert "due_at" in created.json() and "due_at" in changed.json()
    assert not Quiz.objects.filter(title="Windowed").exists()
    quiz.refresh_from_db()
    assert quiz.due_at is None


def test_a_student_cannot_set_a_window(auth_client, enrolled, quiz):
    response = auth_client(enrolled).patch(
        f"{QUIZZES}{quiz.pk}/", {"due_at": later(days=1).isoformat()}, format="json"
    )

    assert response.status_code == 403
    quiz.refresh_from_db()
    assert quiz.due_at is None


# --- starting ------------------------------------------------------------------------


def test_starting_before_the_window_is_a_409_quiz_not_open(auth_client, enrolled, quiz):
    window(quiz, available_from=later(hours=1))

    response = auth_client(enrolled).post(f"{QUIZZES}{quiz.pk}/start/")

    assert response.status_code == 409
    assert response.json() == {"detail": "This quiz is not open yet.", "code": "quiz_not_open"}
    assert not QuizSubmission.objects.exists()


def test_starting_after_the_due_time_is_a_409_quiz_closed(auth_client, enrolled, quiz):
    window(quiz, available_from=ago(days=2), due_at=ago(minutes=1))

    client = auth_client(enrolled)
    started = client.post(f"{QUIZZES}{quiz.pk}/start/")
    submitted = client.post(f"{QUIZZES}{quiz.pk}/submit/", {"answers": []}, format="json")

    assert started.status_code == submitted.status_code == 409
    assert started.json()["code"] == submitted.json()["code"] == "quiz_closed"
    assert not QuizSubmission.objects.exists()


def test_within_the_window_an_attempt_ends_at_the_due_time_at_the_latest(
    auth_client, enrolled, quiz
):
    due = later(minutes=5)
    window(quiz, available_from=ago(minutes=1), due_at=due)
    quiz.time_limit_minutes = 30
    quiz.save(update_fields=["time_limit_minutes"])

    response = auth_client(enrolled).post(f"{QUIZZES}{quiz.pk}/start/")

    assert response.status_code == 201
    assert QuizSubmission.objects.get().expires_at == due


def test_the_students_detail_carries_the_due_time(auth_client, enrolled, quiz):
    due = later(days=3)
    window(quiz, due_at=due)

    body = auth_client(enrolled).get(f"{QUIZZES}{quiz.pk}/").json()

    assert body["due_at"] == body["my_limits"]["due_at"]
    assert body["my_limits"] == {
        "max_attempts": 3,
        "attempts_used": 0,
        "time_limit_minutes": None,
        "due_at": due.isoformat().replace("+00:00", "Z"),
    }


# --- closing at the due time ---------------------------------------------------------


def test_the_sweep_closes_open_attempts_at_the_due_time_plus_grace(
    auth_client, enrolled, quiz, answers_for, settings
):
    settings.QUIZ_SUBMIT_GRACE_SECONDS = 30
    client = auth_client(enrolled)
    sid = client.post(f"{QUIZZES}{quiz.pk}/start/").json()["submission_id"]
    client.put(
        f"/api/v1/quiz-submissions/{sid}/answers/",
        {"answers": answers_for(q1="Paris")},
        format="json",
    )
    window(quiz, due_at=ago(seconds=10))  # due moved earlier after the start: still holds

    within_grace = quiz_attempts_close_expired()
    window(quiz, due_at=ago(seconds=31))
    closed = quiz_attempts_close_expired()

    assert (within_grace, closed) == (0, 1)
    submission = QuizSubmission.objects.get(pk=sid)
    assert (submission.status, submission.score) == ("graded", 1)  # graded on saved answers


def test_submitting_after_due_plus_grace_closes_the_attempt_on_its_saved_answers(
    auth_client, enrolled, quiz, answers_for, all_correct
):
    client = auth_client(enrolled)
    sid = client.post(f"{QUIZZES}{quiz.pk}/start/").json()["submission_id"]
    client.put(
        f"/api/v1/quiz-submissions/{sid}/answers/",
        {"answers": answers_for(q1="Paris")},
        format="json",
    )
    window(quiz, due_at=ago(hours=1))

    response = client.post(
        f"{QUIZZES}{quiz.pk}/submit/", {"submission_id": sid, "answers": all_correct}, format="json"
    )
    saving = client.put(
        f"/api/v1/quiz-submissions/{sid}/answers/", {"answers": all_correct}, format="json"
    )

    assert response.status_code == 400
    assert "Time is up" in response.json()["detail"]
    assert saving.status_code == 409  # already closed
    submission = QuizSubmission.objects.get(pk=sid)
    assert (submission.status, submission.score) == ("graded", 1)


def test_saving_after_due_plus_grace_closes_the_attempt(auth_client, enrolled, quiz, answers_for):
    attempt = QuizSubmissionFactory(quiz=quiz, student=enrolled, started_at=ago(hours=2))
    window(quiz, due_at=ago(hours=1))

    response = auth_client(enrolled).put(
        f"/api/v1/quiz-submissions/{attempt.pk}/answers/",
        {"answers": answers_for(q1="Paris")},
        format="json",
    )

    assert response.status_code == 400
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score) == ("graded", 0)


def test_the_sweep_leaves_attempts_of_quizzes_still_open(enrolled, quiz):
    attempt = QuizSubmissionFactory(quiz=quiz, student=enrolled)
    window(quiz, due_at=later(hours=1))

    assert quiz_attempts_close_expired() == 0
    attempt.refresh_from_db()
    assert attempt.status == "in_progress"
