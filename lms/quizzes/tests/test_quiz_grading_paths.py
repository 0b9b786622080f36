"""Every path that closes an attempt grades it the same way and may complete the course."""

import pytest

from lms.courses.tests.factories import LessonFactory, ModuleFactory
from lms.enrollments.models import Certificate, Enrollment
from lms.enrollments.tests.factories import LessonProgressFactory
from lms.quizzes.tasks import close_expired_quiz_attempts

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_lesson_done(course, enrolled):
    lesson = LessonFactory(module=ModuleFactory(course=course))
    LessonProgressFactory(
        enrollment=Enrollment.objects.get(student=enrolled, course=course), lesson=lesson
    )


def save(client, submission, answers):
    url = f"/api/v1/quiz-submissions/{submission.pk}/answers/"
    assert client.put(url, {"answers": answers}).status_code == 200


def completed(student) -> bool:
    enrollment = Enrollment.objects.get(student=student)
    issued = Certificate.objects.filter(enrollment=enrollment).count()
    return enrollment.status == Enrollment.Status.COMPLETED and issued == 1


def test_the_sweep_grades_right_saved_answers_and_completes_the_course(
    auth_client, enrolled, attempt, all_correct, one_lesson_done
):
    save(auth_client(enrolled), attempt, all_correct)
    attempt.started_at = attempt.expires_at = attempt.started_at.replace(year=2020)
    attempt.save(update_fields=["started_at", "expires_at"])

    assert close_expired_quiz_attempts.delay().get() == 1

    attempt.refresh_from_db()
    assert (attempt.status, attempt.passed) == ("graded", True)
    assert completed(enrolled)


def test_a_start_closing_a_passing_attempt_completes_the_course(
    auth_client, enrolled, quiz, attempt, all_correct, one_lesson_done
):
    client = auth_client(enrolled)
    save(client, attempt, all_correct)

    assert client.post(f"/api/v1/quizzes/{quiz.pk}/start/").status_code == 201

    attempt.refresh_from_db()
    assert (attempt.status, attempt.passed) == ("graded", True)
    assert completed(enrolled)
