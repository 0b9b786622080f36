"""Fixtures for the cohorts app: a course with students, lessons and quizzes."""

from decimal import Decimal

import pytest

from lms.courses.tests.factories import CourseFactory, LessonFactory, ModuleFactory
from lms.enrollments.models import Enrollment
from lms.enrollments.tests.factories import EnrollmentFactory, LessonProgressFactory
from lms.quizzes.models import QuizSubmission
from lms.quizzes.tests.factories import QuizFactory, QuizSubmissionFactory
from lms.users.tests.factories import StudentFactory


def submit(student, quiz, percent, *, attempt=1, passed=None):
    """A handed-in, graded attempt at `percent`."""
    percent = Decimal(percent)
    return QuizSubmissionFactory(
        student=student,
        quiz=quiz,
        attempt=attempt,
        percent=percent,
        passed=percent >= quiz.pass_percent if passed is None else passed,
        status=QuizSubmission.Status.GRADED,
    )


def enroll(course, *, email=None, cohort="", status=Enrollment.Status.ACTIVE, **student):
    user = StudentFactory(**({"email": email} if email else {}), **student)
    return EnrollmentFactory(course=course, student=user, cohort=cohort, status=status)


@pytest.fixture
def course(instructor):
    """A course of `instructor` with two lessons and two published quizzes (one draft)."""
    course = CourseFactory(instructor=instructor, title="Data", slug="data")
    module = ModuleFactory(course=course)
    course.lessons = [LessonFactory(module=module) for _ in range(2)]
    course.quizzes_published = [
        QuizFactory(course=course, title="Quiz A"),
        QuizFactory(course=course, title="Quiz B"),
    ]
    QuizFactory(course=course, title="Draft", is_published=False)
    return course


def complete(enrollment, lesson):
    return LessonProgressFactory(enrollment=enrollment, lesson=lesson)
