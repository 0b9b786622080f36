"""Reviewing attempts: who sees which submissions, hand grading and course completion."""

import pytest

from lms.audit.models import AuditEntry
from lms.courses.tests.factories import LessonFactory, ModuleFactory
from lms.enrollments.models import Certificate, Enrollment
from lms.enrollments.tests.factories import EnrollmentFactory, LessonProgressFactory
from lms.quizzes.models import QuizSubmission

from .conftest import question
from .factories import QuizSubmissionFactory, quiz_with_every_kind

pytestmark = pytest.mark.django_db

SUBMISSIONS = "/api/v1/quiz-submissions/"


def submission_url(submission_id) -> str:
    return f"{SUBMISSIONS}{submission_id}/"


def grade_url(submission_id) -> str:
    return f"{SUBMISSIONS}{submission_id}/grade/"


@pytest.fixture
def in_review(auth_client, enrolled, quiz, answers_for):
    """An attempt of `enrolled` with 4 of 5 points and a short answer waiting for review."""
    response = auth_client(enrolled).post(
        f"/api/v1/quizzes/{quiz.pk}/submit/",
        {"answers": answers_for(q1="Paris", q2=["2", "3"], q3="True", q4="fourty two")},
    )
    assert response.json()["status"] == "needs_review"
    return QuizSubmission.objects.get(pk=response.json()["id"])


# --- listing -------------------------------------------------------------------------


def test_student_lists_only_their_own_attempts(auth_client, enrolled, quiz, in_review):
    QuizSubmissionFactory(quiz=quiz)  # another student's

    body = auth_client(enrolled).get(SUBMISSIONS).json()

    assert [s["id"] for s in body["results"]] == [in_review.pk]
    row = body["results"][0]
    assert (row["quiz"], row["course"], row["student"]["id"]) == (
        quiz.pk,
        quiz.course_id,
        enrolled.pk,
    )


def test_instructor_lists_attempts_of_their_courses(auth_client, instructor, in_review):
    QuizSubmissionFactory()  # another instructor's course

    body = auth_client(instructor).get(SUBMISSIONS).json()

    assert [s["id"] for s in body["results"]] == [in_review.pk]


def test_other_instructor_and_outsider_see_none(auth_client, other_instructor, outsider, in_review):
    assert auth_client(other_instructor).get(SUBMISSIONS).json()["count"] == 0
    assert auth_client(outsider).get(SUBMISSIONS).json()["count"] == 0


def test_admin_lists_every_attempt(auth_client, admin, in_review):
    other = QuizSubmissionFactory()

    body = auth_client(admin).get(SUBMISSIONS).json()

    assert {s["id"] for s in body["results"]} == {in_review.pk, other.pk}


def test_filters_by_quiz_course_and_status(auth_client, admin, quiz, course, in_review):
    QuizSubmissionFactory(quiz=quiz_with_every_kind(course=course))
    QuizSubmissionFactory()
    client = auth_client(admin)

    assert client.get(SUBMISSIONS, {"quiz_id": quiz.pk}).json()["count"] == 1
    assert client.get(SUBMISSIONS, {"course_id": course.pk}).json()["count"] == 2
    by_status = client.get(SUBMISSIONS, {"status": "needs_review"}).json()
    assert [s["id"] for s in by_status["results"]] == [in_review.pk]
    assert client.get(SUBMISSIONS, {"status": "nope"}).status_code == 400


def test_anonymous_cannot_list_attempts(api_client, in_review):
    assert api_client.get(SUBMISSIONS).status_code == 401
    assert api_client.get(submission_url(in_review.pk)).status_code == 401


# --- detail --------------------------------------------------------------------------


def test_student_reads_their_submitted_attempt_with_correctness(
    auth_client, enrolled, quiz, in_review
):
    body = auth_client(enrolled).get(submission_url(in_review.pk)).json()

    assert [a["correct"] for a in body["answers"]] == [True, True, True, None]
    assert [a["awarded_points"] for a in body["answers"]] == [1, 2, 1, None]
    assert body["answers"][0]["choices"] == [question(quiz, 1).choices.get(text="Paris").pk]
    assert body["answers"][3]["text"] == "fourty two"


def test_an_open_attempt_shows_no_answers(auth_client, enrolled, quiz):
    sid = auth_client(enrolled).post(f"/api/v1/quizzes/{quiz.pk}/start/").json()["submission_id"]

    body = auth_client(enrolled).get(submission_url(sid)).json()

    assert body["status"] == "in_progress"
    assert body["answers"] == []


@pytest.mark.parametrize("role", ["outsider", "other_instructor"])
def test_others_get_404_for_an_attempt(auth_client, in_review, role, request):
    client = auth_client(request.getfixturevalue(role))

    assert client.get(submission_url(in_review.pk)).status_code == 404


@pytest.mark.parametrize("role", ["instructor", "admin"])
def test_course_instructor_and_admin_read_an_attempt(auth_client, in_review, role, request):
    body = auth_client(request.getfixturevalue(role)).get(submission_url(in_review.pk)).json()

    assert body["status"] == "needs_review"
    assert len(body["answers"]) == 4


# --- grading -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["instructor", "admin"])
def test_grading_a_short_answer_rescores_and_passes(auth_client, quiz, in_review, role, request):
    short = question(quiz, 4)

    response = auth_client(request.getfixturevalue(role)).patch(
        grade_url(in_review.pk), {"answers": [{"question": short.pk, "points": 1}]}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["score"], body["percent"], body["status"], body["passed"]) == (
        5,
        100,
        "graded",
        True,
    )
    assert body["answers"][3]["correct"] is True
    entry = AuditEntry.objects.get(action="submission.graded")
    assert (entry.actor_id, entry.target_id, entry.changes) == (
        request.getfixturevalue(role).pk,
        str(in_review.pk),
        {"score": ["4.00", "5.00"], "status": ["needs_review", "graded"]},
    )


def test_zero_points_grades_but_can_still_pass(auth_client, instructor, quiz, in_review):
    response = auth_client(instructor).patch(
        grade_url(in_review.pk), {"answers": [{"question": question(quiz, 4).pk, "points": 0}]}
    )

    body = response.json()
    assert (body["score"], body["percent"], body["status"], body["passed"]) == (
        4,
        80,
        "graded",
        True,
    )
    assert body["answers"][3]["correct"] is False


@pytest.mark.parametrize(
    "points, order",
    [(2, 4), (-1, 4), (1, 1), ("x", 4)],
    ids=["above-max", "negative", "not-short-answer", "not-a-number"],
)
def test_bad_grades_are_400_and_change_nothing(
    auth_client, instructor, quiz, in_review, points, order
):
    response = auth_client(instructor).patch(
        grade_url(in_review.pk),
        {"answers": [{"question": question(quiz, order).pk, "points": points}]},
    )

    assert response.status_code == 400
    in_review.refresh_from_db()
    assert in_review.status == QuizSubmission.Status.NEEDS_REVIEW


def test_grading_a_question_outside_the_attempt_is_400(auth_client, instructor, course, in_review):
    foreign = question(quiz_with_every_kind(course=course), 4)

    response = auth_client(instructor).patch(
        grade_url(in_review.pk), {"answers": [{"question": foreign.pk, "points": 1}]}
    )

    assert response.status_code == 400


def test_an_open_attempt_cannot_be_graded(auth_client, instructor, quiz, enrolled):
    open_attempt = QuizSubmissionFactory(quiz=quiz, student=enrolled)

    response = auth_client(instructor).patch(
        grade_url(open_attempt.pk), {"answers": [{"question": question(quiz, 4).pk, "points": 1}]}
    )

    assert response.status_code == 409


def test_students_cannot_grade(auth_client, enrolled, quiz, in_review):
    response = auth_client(enrolled).patch(
        grade_url(in_review.pk), {"answers": [{"question": question(quiz, 4).pk, "points": 1}]}
    )

    assert response.status_code == 403
    in_review.refresh_from_db()
    assert in_review.status == QuizSubmission.Status.NEEDS_REVIEW


def test_another_instructor_cannot_grade(auth_client, other_instructor, quiz, in_review):
    response = auth_client(other_instructor).patch(
        grade_url(in_review.pk), {"answers": [{"question": question(quiz, 4).pk, "points": 1}]}
    )

    assert response.status_code == 404


# --- course completion ---------------------------------------------------------------


@pytest.fixture
def one_lesson_done(course, enrolled):
    """The course has one lesson, which `enrolled` has completed."""
    lesson = LessonFactory(module=ModuleFactory(course=course))
    LessonProgressFactory(
        enrollment=Enrollment.objects.get(student=enrolled, course=course), lesson=lesson
    )


def test_passing_the_last_quiz_completes_the_course(
    auth_client, enrolled, quiz, all_correct, one_lesson_done
):
    auth_client(enrolled).post(f"/api/v1/quizzes/{quiz.pk}/submit/", {"answers": all_correct})

    enrollment = Enrollment.objects.get(student=enrolled)
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1


def test_failing_the_quiz_leaves_the_course_open(
    auth_client, enrolled, quiz, answers_for, one_lesson_done
):
    auth_client(enrolled).post(
        f"/api/v1/quizzes/{quiz.pk}/submit/", {"answers": answers_for(q1="Rome")}
    )

    assert Enrollment.objects.get(student=enrolled).status == Enrollment.Status.ACTIVE


def test_grading_the_short_answer_completes_the_course(
    auth_client, instructor, enrolled, quiz, in_review, one_lesson_done
):
    assert Enrollment.objects.get(student=enrolled).status == Enrollment.Status.ACTIVE

    auth_client(instructor).patch(
        grade_url(in_review.pk), {"answers": [{"question": question(quiz, 4).pk, "points": 1}]}
    )

    assert Enrollment.objects.get(student=enrolled).status == Enrollment.Status.COMPLETED
    progress = auth_client(enrolled).get(f"/api/v1/courses/{quiz.course_id}/progress/").json()
    assert (progress["quizzes_passed"], progress["quizzes_required"], progress["completed"]) == (
        1,
        1,
        True,
    )


def test_a_pass_elsewhere_does_not_complete_another_students_course(
    auth_client, enrolled, quiz, course, all_correct, one_lesson_done
):
    classmate = EnrollmentFactory(course=course)

    auth_client(enrolled).post(f"/api/v1/quizzes/{quiz.pk}/submit/", {"answers": all_correct})

    classmate.refresh_from_db()
    assert classmate.status == Enrollment.Status.ACTIVE
