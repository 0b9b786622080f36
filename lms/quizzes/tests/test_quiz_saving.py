"""Saving answers on an open attempt before submitting it, and who may save them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lms.enrollments.models import Enrollment
from lms.quizzes.models import Answer, QuizSubmission
from lms.users.tests.factories import StudentFactory

from .conftest import question
from .factories import QuizSubmissionFactory

pytestmark = pytest.mark.django_db

#: The answer fields of the other kinds, as a saved choice or short answer reads them.
UNUSED = {"number": None, "order": []}


def answers_url(submission) -> str:
    return f"/api/v1/quiz-submissions/{submission.pk}/answers/"


def submit_url(quiz) -> str:
    return f"/api/v1/quizzes/{quiz.pk}/submit/"


def saved(submission) -> dict[int, tuple[list[int], str]]:
    return {
        a.question_id: (sorted(c.pk for c in a.choices.all()), a.text)
        for a in Answer.objects.filter(submission=submission).prefetch_related("choices")
    }


def save_directly(submission, payload) -> None:
    """Given: answers already saved on `submission` (through the service the endpoint uses)."""
    from lms.quizzes.services import quiz_attempt_answers_save

    quiz_attempt_answers_save(submission=submission, student=submission.student, answers=payload)


# --- saving --------------------------------------------------------------------------


def test_saving_stores_the_answers_and_returns_them_without_grading(
    auth_client, enrolled, quiz, attempt, answers_for
):
    payload = answers_for(q1="Rome", q4="forty-two")

    response = auth_client(enrolled).put(answers_url(attempt), {"answers": payload})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"submission_id", "quiz", "attempt", "started_at", "expires_at", "answers"}
    assert body["submission_id"] == attempt.pk
    rome = question(quiz, 1).choices.get(text="Rome").pk
    assert body["answers"] == [
        {"question": question(quiz, 1).pk, "choices": [rome], "text": "", **UNUSED},
        {"question": question(quiz, 4).pk, "choices": [], "text": "forty-two", **UNUSED},
    ]
    attempt.refresh_from_db()
    assert (attempt.status, attempt.submitted_at, attempt.score) == ("in_progress", None, 0)
    assert set(
        Answer.objects.filter(submission=attempt).values_list("awarded_points", "is_correct")
    ) == {(None, None)}


def test_saving_again_replaces_only_the_answers_given(
    auth_client, enrolled, quiz, attempt, answers_for
):
    client = auth_client(enrolled)
    client.put(answers_url(attempt), {"answers": answers_for(q1="Rome", q2=["2"], q4="7")})

    response = client.put(answers_url(attempt), {"answers": answers_for(q1="Paris", q4="")})

    assert response.status_code == 200
    paris = question(quiz, 1).choices.get(text="Paris").pk
    two = question(quiz, 2).choices.get(text="2").pk
    assert saved(attempt) == {
        question(quiz, 1).pk: ([paris], ""),
        question(quiz, 2).pk: ([two], ""),
        question(quiz, 4).pk: ([], ""),
    }
    assert len(response.json()["answers"]) == 3


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(lambda quiz, other: {"question": other.questions.first().pk}, id="foreign-q"),
        pytest.param(
            lambda quiz, other: {
                "question": question(quiz, 1).pk,
                "choices": [question(quiz, 2).choices.first().pk],
            },
            id="other-question-choice",
        ),
        pytest.param(
            lambda quiz, other: {"question": question(quiz, 1).pk, "text": "Paris"},
            id="text-for-choice",
        ),
        pytest.param(
            lambda quiz, other: {"question": question(quiz, 4).pk, "choices": [1]},
            id="choices-for-text",
        ),
        pytest.param(
            lambda quiz, other: {
                "question": question(quiz, 3).pk,
                "choices": [c.pk for c in question(quiz, 3).choices.all()],
            },
            id="two-choices-for-one",
        ),
    ],
)
def test_a_bad_answer_is_400_and_saves_nothing(
    auth_client, enrolled, quiz, course, attempt, answers_for, bad
):
    from .factories import quiz_with_every_kind

    other = quiz_with_every_kind(course=course)
    save_directly(attempt, answers_for(q1="Rome"))
    before = saved(attempt)
    good = answers_for(q1="Paris", q4="42")

    response = auth_client(enrolled).put(
        answers_url(attempt), {"answers": [*good, bad(quiz, other)]}, format="json"
    )

    assert response.status_code == 400
    assert "answers" in response.json()
    assert saved(attempt) == before


def test_two_answers_to_one_question_are_400(auth_client, enrolled, quiz, attempt, answers_for):
    payload = answers_for(q1="Paris") + answers_for(q1="Rome")

    response = auth_client(enrolled).put(answers_url(attempt), {"answers": payload})

    assert response.status_code == 400
    assert saved(attempt) == {}


def test_a_body_without_answers_is_400(auth_client, enrolled, attempt):
    response = auth_client(enrolled).put(answers_url(attempt), {}, format="json")

    assert response.status_code == 400
    assert "answers" in response.json()


def test_saving_within_the_grace_period_counts(auth_client, enrolled, quiz, answers_for):
    now = timezone.now()
    attempt = QuizSubmissionFactory(
        quiz=quiz, student=enrolled, started_at=now - timedelta(minutes=10), expires_at=now
    )

    response = auth_client(enrolled).put(answers_url(attempt), {"answers": answers_for(q4="42")})

    assert response.status_code == 200
    assert len(saved(attempt)) == 1


def test_saving_late_is_400_and_closes_the_attempt_on_what_was_saved(
    auth_client, enrolled, quiz, expired, answers_for, all_correct
):
    save_directly_before_expiry(expired, answers_for(q1="Paris"))

    response = auth_client(enrolled).put(answers_url(expired), {"answers": all_correct})

    assert response.status_code == 400
    assert "Time is up" in response.json()["detail"]
    expired.refresh_from_db()
    assert (expired.status, expired.score) == (QuizSubmission.Status.GRADED, 1)
    assert expired.answers.count() == 4  # one per question, the late ones not among them


def save_directly_before_expiry(submission, payload) -> None:
    """Given: answers saved while the attempt was still running."""
    expires_at = submission.expires_at
    QuizSubmission.objects.filter(pk=submission.pk).update(expires_at=None)
    submission.expires_at = None
    save_directly(submission, payload)
    QuizSubmission.objects.filter(pk=submission.pk).update(expires_at=expires_at)
    submission.expires_at = expires_at


# --- who may save --------------------------------------------------------------------


def test_anonymous_cannot_save(api_client, attempt, answers_for):
    response = api_client.put(answers_url(attempt), {"answers": answers_for(q1="Paris")})

    assert response.status_code == 401


def test_another_students_attempt_is_not_found(auth_client, attempt, answers_for):
    response = auth_client(StudentFactory()).put(
        answers_url(attempt), {"answers": answers_for(q1="Paris")}
    )

    assert response.status_code == 404
    assert saved(attempt) == {}


def test_an_unknown_attempt_is_not_found(auth_client, enrolled):
    response = auth_client(enrolled).put(
        "/api/v1/quiz-submissions/999999/answers/", {"answers": []}, format="json"
    )

    assert response.status_code == 404


@pytest.mark.parametrize("role", ["instructor", "other_instructor", "admin"])
def test_only_students_save_answers(auth_client, attempt, answers_for, role, request):
    response = auth_client(request.getfixturevalue(role)).put(
        answers_url(attempt), {"answers": answers_for(q1="Paris")}
    )

    assert response.status_code == 403
    assert saved(attempt) == {}


def test_a_submitted_attempt_is_a_conflict(auth_client, enrolled, quiz, attempt, all_correct):
    client = auth_client(enrolled)
    client.post(submit_url(quiz), {"submission_id": attempt.pk, "answers": []})

    response = client.put(answers_url(attempt), {"answers": all_correct})

    assert response.status_code == 409
    attempt.refresh_from_db()
    assert attempt.score == 0


def test_a_cancelled_enrollment_stops_saving(auth_client, enrolled, course, attempt, answers_for):
    Enrollment.objects.filter(student=enrolled, course=course).update(
        status=Enrollment.Status.CANCELLED
    )

    response = auth_client(enrolled).put(answers_url(attempt), {"answers": answers_for(q1="Paris")})

    assert response.status_code == 403
    assert saved(attempt) == {}
