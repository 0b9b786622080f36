"""Saved answers graded at submit, expiry and restart; resuming after reload; reading back."""

import pytest

from lms.quizzes.models import QuizSubmission
from lms.users.tests.factories import StudentFactory

from .conftest import question
from .factories import QuizSubmissionFactory, quiz_with_every_kind
from .test_quiz_saving import answers_url, save_directly_before_expiry, saved, submit_url

pytestmark = pytest.mark.django_db

#: The answer fields of the other kinds, as a saved choice or short answer reads them.
UNUSED = {"number": None, "order": []}


# --- grading what was saved ----------------------------------------------------------


def test_submit_grades_the_saved_answers(auth_client, enrolled, quiz, attempt, all_correct):
    client = auth_client(enrolled)
    client.put(answers_url(attempt), {"answers": all_correct})

    response = client.post(submit_url(quiz), {"submission_id": attempt.pk, "answers": []})

    assert response.status_code == 201
    assert (response.json()["percent"], response.json()["passed"]) == (100, True)


def test_answers_in_the_submit_body_win_over_saved_ones(
    auth_client, enrolled, quiz, attempt, answers_for
):
    client = auth_client(enrolled)
    client.put(answers_url(attempt), {"answers": answers_for(q1="Rome", q2=["2", "3"])})

    response = client.post(
        submit_url(quiz), {"answers": answers_for(q1="Paris", q3="False")}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert body["id"] == attempt.pk
    # Q1 from the body (right), Q2 saved (right), Q3 from the body (wrong), Q4 unanswered
    assert [r["awarded_points"] for r in body["results"]] == [1, 2, 0, 0]
    paris = question(quiz, 1).choices.get(text="Paris").pk
    assert saved(attempt)[question(quiz, 1).pk] == ([paris], "")


def test_a_late_submit_is_graded_on_the_saved_answers(
    auth_client, enrolled, quiz, expired, answers_for, all_correct
):
    save_directly_before_expiry(expired, answers_for(q1="Paris", q2=["2", "3"]))
    client = auth_client(enrolled)

    response = client.post(submit_url(quiz), {"submission_id": expired.pk, "answers": all_correct})

    assert response.status_code == 400
    expired.refresh_from_db()
    assert (expired.status, expired.score, expired.max_score) == ("graded", 3, 5)
    detail = client.get(f"/api/v1/quiz-submissions/{expired.pk}/").json()
    assert [a["awarded_points"] for a in detail["answers"]] == [1, 2, 0, 0]


def test_the_sweep_grades_the_saved_answers(enrolled, quiz, expired, answers_for):
    from lms.quizzes.tasks import close_expired_quiz_attempts

    save_directly_before_expiry(expired, answers_for(q3="True", q4="something else"))

    assert close_expired_quiz_attempts.delay().get() == 1

    expired.refresh_from_db()
    # Q3 right; the unmatched short answer waits for the instructor
    assert (expired.status, expired.score) == (QuizSubmission.Status.NEEDS_REVIEW, 1)


def test_starting_again_after_expiry_grades_the_saved_answers(
    auth_client, enrolled, quiz, expired, all_correct
):
    save_directly_before_expiry(expired, all_correct)

    response = auth_client(enrolled).post(f"/api/v1/quizzes/{quiz.pk}/start/")

    assert response.status_code == 201
    expired.refresh_from_db()
    assert (expired.status, expired.percent, expired.passed) == ("graded", 100, True)


def test_saved_answers_of_open_attempts_stay_out_of_the_results(
    auth_client, instructor, enrolled, quiz, attempt, all_correct
):
    auth_client(enrolled).put(answers_url(attempt), {"answers": all_correct})

    results = auth_client(instructor).get(f"/api/v1/quizzes/{quiz.pk}/results/").json()

    assert results["attempts"] == 0
    assert {q["answered"] for q in results["questions"]} == {0}


# --- resuming after a page reload ----------------------------------------------------


def test_a_reloaded_page_finds_the_open_attempt_and_restores_its_answers(
    auth_client, enrolled, course, quiz, answers_for
):
    # Given: a graded earlier attempt, an open attempt at another quiz, and a fresh start
    QuizSubmissionFactory(quiz=quiz, student=enrolled, attempt=1, status="graded")
    QuizSubmissionFactory(quiz=quiz_with_every_kind(course=course), student=enrolled)
    client = auth_client(enrolled)
    started = client.post(f"/api/v1/quizzes/{quiz.pk}/start/").json()
    payload = answers_for(q2=["2", "3"], q4="forty-two")
    saved_url = f"/api/v1/quiz-submissions/{started['submission_id']}/answers/"
    assert client.put(saved_url, {"answers": payload}).status_code == 200

    # When: the reloaded page looks for the open attempt and reads its answers back
    found = client.get("/api/v1/quiz-submissions/", {"quiz_id": quiz.pk, "status": "in_progress"})
    (open_attempt,) = found.json()["results"]
    restored = client.get(f"/api/v1/quiz-submissions/{open_attempt['id']}/answers/")

    # Then: it is the attempt just started, with what was saved, and no attempt was used
    assert (open_attempt["id"], open_attempt["attempt"]) == (started["submission_id"], 2)
    assert restored.status_code == 200
    assert restored.json()["answers"] == [
        {
            "question": question(quiz, 2).pk,
            "choices": sorted(payload[0]["choices"]),
            "text": "",
            **UNUSED,
        },
        {"question": question(quiz, 4).pk, "choices": [], "text": "forty-two", **UNUSED},
    ]
    assert QuizSubmission.objects.filter(quiz=quiz, student=enrolled).count() == 2


# --- reading saved answers back ------------------------------------------------------


def test_the_student_reads_back_what_was_saved_without_correctness(
    auth_client, enrolled, quiz, attempt, answers_for
):
    client = auth_client(enrolled)
    client.put(answers_url(attempt), {"answers": answers_for(q1="Rome", q4="forty-two")})

    response = client.get(answers_url(attempt))

    assert response.status_code == 200
    rome = question(quiz, 1).choices.get(text="Rome").pk
    assert response.json()["answers"] == [
        {"question": question(quiz, 1).pk, "choices": [rome], "text": "", **UNUSED},
        {"question": question(quiz, 4).pk, "choices": [], "text": "forty-two", **UNUSED},
    ]
    assert "correct" not in response.content.decode()


def test_an_attempt_with_nothing_saved_reads_back_empty(auth_client, enrolled, attempt):
    response = auth_client(enrolled).get(answers_url(attempt))

    assert response.status_code == 200
    assert response.json()["answers"] == []


def test_another_student_cannot_read_the_saved_answers(auth_client, attempt):
    response = auth_client(StudentFactory()).get(answers_url(attempt))

    assert response.status_code == 404


@pytest.mark.parametrize("role", ["instructor", "admin"])
def test_staff_read_attempts_through_the_submission_not_the_answer_form(
    auth_client, attempt, role, request
):
    response = auth_client(request.getfixturevalue(role)).get(answers_url(attempt))

    assert response.status_code == 403
