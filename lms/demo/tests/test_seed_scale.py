"""`manage.py seed_scale`: the sizes asked for, consistent rows, and reruns that add nothing."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F

from lms.courses.models import Course, Lesson
from lms.demo.scale import BIG_COURSE_SLUG, PROGRESS_PER_ENROLLMENT, SUBMISSION_EVERY
from lms.enrollments.models import Enrollment, LessonProgress
from lms.quizzes.models import Choice, Question, Quiz, QuizSubmission
from lms.users.models import User

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = ["--students", "30", "--courses", "4", "--enrollments", "70", "--big-course-students", "9"]


def seed() -> str:
    out = io.StringIO()
    call_command("seed_scale", *SIZES, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (User, Course, Lesson, Quiz, Question, Choice, Enrollment, LessonProgress)
    return {m.__name__: m.objects.count() for m in (*models, QuizSubmission)}


def test_seed_scale_creates_the_sizes_asked_for_and_reruns_add_nothing(requires_postgres):
    assert "Scale data ready" in seed()

    first = counts()
    assert User.objects.filter(role=User.Role.STUDENT).count() == 30
    assert Course.objects.count() == 5  # 4 + the big course
    assert Lesson.objects.count() == 5 * 10
    assert Choice.objects.filter(is_correct=True).count() == Question.objects.count() == 5 * 4
    big = Course.objects.get(slug=BIG_COURSE_SLUG)
    assert Enrollment.objects.exclude(course=big).count() == 70
    assert Enrollment.objects.filter(course=big).count() == 9
    assert first["LessonProgress"] == 79 * PROGRESS_PER_ENROLLMENT
    # Progress rows name lessons of the enrollment's own course.
    assert not LessonProgress.objects.exclude(
        lesson__module__course_id=F("enrollment__course_id")
    ).exists()
    enrollment_ids = Enrollment.objects.values_list("pk", flat=True)
    expected = sum(1 for pk in enrollment_ids if pk % SUBMISSION_EVERY == 0)
    assert first["QuizSubmission"] == expected

    seed()
    assert counts() == first


def test_seed_scale_needs_postgres():
    if connection.vendor == "postgresql":
        pytest.skip("checks the refusal on other databases")
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        seed()
