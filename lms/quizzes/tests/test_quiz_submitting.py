"""Submitting an attempt: server-side grading, bad answers, deadlines and the expiry sweep."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lms.quizzes.models import Answer, QuizSubmission

from .conftest import choice, question
from .factories import QuizSubmissionFactory, quiz_with_every_kind
from .test_quiz_taking import start_url, submit_url

pytestmark = pytest.mark.django_db


# --- submit and grading --------------------------------------------------------------


def test_all_correct_answers_score_full_marks(auth_client, enrolled, quiz, all_correct):
    client = auth_client(enrolled)
    started = client.post(start_url(quiz)).json()

    response = client.post(
        submit_url(quiz), {"submission_id": started["submission_id"], "answers": all_correct}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"] == started["submission_id"]
    assert (body["score"], body["max_score"], body["percent"]) == (5, 5, 100)
    assert body["passed"] is True
    assert body["status"] == "graded"
    assert [r["correct"] for r in body["results"]] == [True, True, True, True]
    assert [r["awarded_points"] for r in body["results"]] == [1, 2, 1, 1]


def test_short_answer_matches_trimmed_and_case_insensitively(
    auth_client, enrolled, quiz, answers_for
):
    response = auth_client(enrolled).post(
        submit_url(quiz), {"answers": answers_for(q4="  FORTY-two ")}
    )

    assert response.json()["results"][3] == {
        "question": question(quiz, 4).pk,
        "correct": True,
        "awarded_points": 1,
    }


def test_multiple_choice_needs_exactly_the_correct_set(auth_client, enrolled, quiz, answers_for):
    client = auth_client(enrolled)
    partial = client.post(submit_url(quiz), {"answers": answers_for(q2=["2"])}).json()
    extra = client.post(submit_url(quiz), {"answers": answers_for(q2=["2", "3", "4"])}).json()
    exact = client.post(submit_url(quiz), {"answers": answers_for(q2=["3", "2"])}).json()

    assert partial["results"][1]["awarded_points"] == 0
    assert extra["results"][1]["awarded_points"] == 0
    assert exact["results"][1]["awarded_points"] == 2


def test_wrong_choices_score_nothing_and_fail(auth_client, enrolled, quiz, answers_for):
    response = auth_client(enrolled).post(
        submit_url(quiz), {"answers": answers_for(q1="Rome", q2=["4"], q3="False", q4="")}
    )

    body = response.json()
    assert (body["score"], body["percent"], body["passed"], body["status"]) == (
        0,
        0,
        False,
        "graded",
    )
    assert [r["correct"] for r in body["results"]] == [False, False, False, False]


def test_unmatched_short_answer_waits_for_review(auth_client, enrolled, quiz, answers_for):
    response = auth_client(enrolled).post(
        submit_url(quiz),
        {"answers": answers_for(q1="Paris", q2=["2", "3"], q3="True", q4="six times seven")},
    )

    body = response.json()
    assert body["status"] == "needs_review"
    assert body["passed"] is False
    assert body["score"] == 4
    assert body["results"][3] == {
        "question": question(quiz, 4).pk,
        "correct": None,
        "awarded_points": None,
    }


def test_pass_mark_is_the_quiz_pass_percent(auth_client, enrolled, course):
    quiz = quiz_with_every_kind(course=course, pass_percent=80)
    q1, q2 = question(quiz, 1), question(quiz, 2)
    answers = [
        {"question": q1.pk, "choices": [choice(quiz, 1, "Paris").pk]},
        {"question": q2.pk, "choices": [choice(quiz, 2, "2").pk, choice(quiz, 2, "3").pk]},
    ]

    body = auth_client(enrolled).post(submit_url(quiz), {"answers": answers}).json()

    assert (body["percent"], body["passed"]) == (60, False)


def test_submit_without_an_open_attempt_opens_and_grades_one(
    auth_client, enrolled, quiz, all_correct
):
    response = auth_client(enrolled).post(submit_url(quiz), {"answers": all_correct})

    assert response.status_code == 201
    assert response.json()["attempt"] == 1
    assert QuizSubmission.objects.get().status == QuizSubmission.Status.GRADED


def test_submit_without_id_grades_the_open_attempt(auth_client, enrolled, quiz, all_correct):
    client = auth_client(enrolled)
    started = client.post(start_url(quiz)).json()

    body = client.post(submit_url(quiz), {"answers": all_correct}).json()

    assert body["id"] == started["submission_id"]
    assert QuizSubmission.objects.count() == 1


def test_second_submit_of_an_attempt_is_a_conflict(auth_client, enrolled, quiz, all_correct):
    client = auth_client(enrolled)
    sid = client.post(start_url(quiz)).json()["submission_id"]
    client.post(submit_url(quiz), {"submission_id": sid, "answers": all_correct})

    response = client.post(submit_url(quiz), {"submission_id": sid, "answers": []})

    assert response.status_code == 409
    assert QuizSubmission.objects.get(pk=sid).percent == 100


def test_submitting_another_students_attempt_is_refused(auth_client, enrolled, quiz):
    other = QuizSubmissionFactory(quiz=quiz)

    response = auth_client(enrolled).post(
        submit_url(quiz), {"submission_id": other.pk, "answers": []}
    )

    assert response.status_code == 400
    assert "submission_id" in response.json()
    other.refresh_from_db()
    assert other.status == QuizSubmission.Status.IN_PROGRESS


def test_answer_to_a_question_of_another_quiz_saves_nothing(
    auth_client, enrolled, quiz, course, all_correct
):
    other_quiz = quiz_with_every_kind(course=course)
    foreign = question(other_quiz, 1)
    client = auth_client(enrolled)
    sid = client.post(start_url(quiz)).json()["submission_id"]

    response = client.post(
        submit_url(quiz),
        {
            "submission_id": sid,
            "answers": [*all_correct[1:], {"question": foreign.pk, "choices": []}],
        },
    )

    assert response.status_code == 400
    assert response.json()["answers"][3] == {
        "question": ["This question is not part of this quiz."]
    }
    assert not Answer.objects.exists()
    assert QuizSubmission.objects.get(pk=sid).status == QuizSubmission.Status.IN_PROGRESS


def test_choice_of_another_question_saves_nothing(auth_client, enrolled, quiz):
    q1 = question(quiz, 1)
    wrong = choice(quiz, 2, "2")

    response = auth_client(enrolled).post(
        submit_url(quiz), {"answers": [{"question": q1.pk, "choices": [wrong.pk]}]}
    )

    assert response.status_code == 400
    assert response.json()["answers"][0] == {
        "choices": ["A choice does not belong to this question."]
    }
    assert not QuizSubmission.objects.exists()


@pytest.mark.parametrize(
    "build",
    [
        lambda quiz: [{"question": question(quiz, 1).pk, "text": "Paris"}],
        lambda quiz: [{"question": question(quiz, 4).pk, "choices": [choice(quiz, 1, "Rome").pk]}],
        lambda quiz: [
            {
                "question": question(quiz, 1).pk,
                "choices": [choice(quiz, 1, "Rome").pk, choice(quiz, 1, "Paris").pk],
            }
        ],
        lambda quiz: [
            {"question": question(quiz, 1).pk, "choices": []},
            {"question": question(quiz, 1).pk, "choices": []},
        ],
        lambda quiz: [{"question": "x"}],
        lambda quiz: [{"question": question(quiz, 1).pk, "choices": ["x"]}],
    ],
    ids=[
        "text-for-choice",
        "choices-for-short",
        "two-for-single",
        "duplicate",
        "bad-id",
        "bad-choice",
    ],
)
def test_malformed_answers_are_400_and_save_nothing(auth_client, enrolled, quiz, build):
    response = auth_client(enrolled).post(submit_url(quiz), {"answers": build(quiz)})

    assert response.status_code == 400
    assert "answers" in response.json()
    assert not QuizSubmission.objects.exists()


def test_missing_answers_field_is_400(auth_client, enrolled, quiz):
    response = auth_client(enrolled).post(submit_url(quiz), {})

    assert response.status_code == 400
    assert "answers" in response.json()


def test_unanswered_questions_score_zero(auth_client, enrolled, quiz, answers_for):
    body = auth_client(enrolled).post(submit_url(quiz), {"answers": answers_for(q1="Paris")}).json()

    assert (body["score"], body["status"]) == (1, "graded")
    assert [r["awarded_points"] for r in body["results"]] == [1, 0, 0, 0]


def test_submit_within_the_grace_period_counts(auth_client, enrolled, quiz, all_correct):
    now = timezone.now()
    attempt = QuizSubmissionFactory(
        quiz=quiz, student=enrolled, started_at=now - timedelta(minutes=10), expires_at=now
    )

    response = auth_client(enrolled).post(
        submit_url(quiz), {"submission_id": attempt.pk, "answers": all_correct}
    )

    assert response.status_code == 201
    assert response.json()["percent"] == 100


def test_late_submit_is_400_and_closes_the_attempt(auth_client, enrolled, quiz, all_correct):
    long_ago = timezone.now() - timedelta(hours=1)
    attempt = QuizSubmissionFactory(
        quiz=quiz, student=enrolled, started_at=long_ago, expires_at=long_ago
    )
    client = auth_client(enrolled)

    response = client.post(submit_url(quiz), {"submission_id": attempt.pk, "answers": all_correct})

    assert response.status_code == 400
    assert "Time is up" in response.json()["detail"]
    attempt.refresh_from_db()
    assert attempt.status == QuizSubmission.Status.GRADED
    assert (attempt.score, attempt.passed) == (0, False)
    assert attempt.answers.count() == 4
    again = client.post(submit_url(quiz), {"submission_id": attempt.pk, "answers": all_correct})
    assert again.status_code == 409


def test_the_sweep_closes_only_expired_attempts(enrolled, quiz, course):
    from lms.quizzes.tasks import close_expired_quiz_attempts

    long_ago = timezone.now() - timedelta(hours=1)
    expired = QuizSubmissionFactory(
        quiz=quiz, student=enrolled, started_at=long_ago, expires_at=long_ago
    )
    running = QuizSubmissionFactory(
        quiz=quiz_with_every_kind(course=course),
        student=enrolled,
        expires_at=timezone.now() + timedelta(minutes=5),
    )

    assert close_expired_quiz_attempts.delay().get() == 1

    expired.refresh_from_db()
    running.refresh_from_db()
    assert (expired.status, expired.score) == (QuizSubmission.Status.GRADED, 0)
    assert running.status == QuizSubmission.Status.IN_PROGRESS


def test_beat_sends_the_sweep_every_minute():
    from config.celery import app

    app.loader.import_default_modules()
    entry = app.conf.beat_schedule["close-expired-quiz-attempts"]

    assert entry["task"] in app.tasks
    assert entry["schedule"] == 60
    assert entry["options"]["expires"] < entry["schedule"]
