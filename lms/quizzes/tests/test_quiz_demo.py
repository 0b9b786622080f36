"""The quiz demo data loads on top of the other apps' demo data, and loads again unchanged."""

import io

import pytest

from lms.courses import demo as courses_demo
from lms.enrollments import demo as enrollments_demo
from lms.enrollments.models import Enrollment
from lms.quizzes import demo as quizzes_demo
from lms.quizzes.models import Accommodation, Answer, Question, Quiz, QuizSubmission
from lms.users import demo as users_demo

pytestmark = pytest.mark.django_db


def seed_all() -> str:
    out = io.StringIO()
    for module in (users_demo, courses_demo, enrollments_demo, quizzes_demo):
        module.seed(out)
    return out.getvalue()


def snapshot() -> tuple:
    return (
        Quiz.objects.count(),
        Question.objects.count(),
        QuizSubmission.objects.count(),
        Answer.objects.count(),
    )


def test_demo_builds_a_quiz_per_course_with_every_kind_and_graded_attempts():
    output = seed_all()

    assert Quiz.objects.filter(is_published=True).count() == 4
    new_kinds = {Question.Kind.NUMERIC, Question.Kind.ORDERING}
    expected_kinds = {
        # The first course's quiz keeps the four kinds the frontend guide's examples show.
        "python-fundamentals": set(Question.Kind.values) - new_kinds,
        "django-rest-apis": set(Question.Kind.values),
        "data-science-draft": set(Question.Kind.values),
        # li's learning path: the quiz a demo student can take with the new kinds.
        "git-step-by-step": new_kinds,
    }
    for quiz in Quiz.objects.all():
        kinds = set(quiz.questions.values_list("kind", flat=True))
        assert kinds == expected_kinds[quiz.course.slug]
    noor = Accommodation.objects.get(student__email="noor@example.com")
    assert (noor.extra_minutes, noor.extra_attempts) == (10, 1)
    li = QuizSubmission.objects.get(student__email="li@example.com")
    assert (li.passed, li.status, li.percent) == (True, QuizSubmission.Status.GRADED, 100)
    maria = QuizSubmission.objects.get(student__email="maria@example.com")
    assert maria.status == QuizSubmission.Status.NEEDS_REVIEW
    li_enrollment = Enrollment.objects.get(
        student__email="li@example.com", course__slug="python-fundamentals"
    )
    assert li_enrollment.status == Enrollment.Status.COMPLETED
    assert "li@example.com scored 100.00%" in output


def test_demo_is_idempotent():
    seed_all()
    before = snapshot()

    output = seed_all()

    assert snapshot() == before
    assert "already attempted" in output


def test_demo_skips_missing_courses():
    out = io.StringIO()
    users_demo.seed(out)

    quizzes_demo.seed(out)

    assert "is missing, skipped" in out.getvalue()
    assert not Quiz.objects.exists()
