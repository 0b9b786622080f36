"""Taking a quiz: the student's view, starting attempts, submitting and server-side grading."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lms.enrollments.models import Enrollment
from lms.quizzes.models import Answer, QuizSubmission

from .conftest import choice, question
from .factories import QuizFactory, QuizSubmissionFactory, quiz_with_every_kind

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
