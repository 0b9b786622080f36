"""The demo data set for enrollments and payments loads, and loads again unchanged."""

import io

import pytest

from lms.courses import demo as courses_demo
from lms.enrollments import demo as enrollments_demo
from lms.enrollments.models import Certificate, Enrollment, LessonProgress
from lms.payments import demo as payments_demo
from lms.payments.models import Payment
from lms.users import demo as users_demo

pytestmark = pytest.mark.django_db


def seed_all() -> str:
    out = io.StringIO()
    for module in (users_demo, courses_demo, enrollments_demo, payments_demo):
        module.seed(out)
    return out.getvalue()


def test_demo_seeds_the_learner_stories_idempotently():
    seed_all()
    counts = (
        Enrollment.objects.count(),
        LessonProgress.objects.count(),
        Certificate.objects.count(),
        Payment.objects.count(),
    )

    seed_all()

    assert counts == (
        Enrollment.objects.count(),
        LessonProgress.objects.count(),
        Certificate.objects.count(),
        Payment.objects.count(),
    )
    maria = Enrollment.objects.get(student__email="maria@example.com")
    assert maria.status == Enrollment.Status.ACTIVE
    assert maria.lesson_progress.count() == 2
    li = Enrollment.objects.get(student__email="li@example.com", course__slug="python-fundamentals")
    assert li.status == Enrollment.Status.COMPLETED
    assert li.certificate.code
    assert Enrollment.objects.filter(student__email="noor@example.com").exists()
    sam = Payment.objects.get(student__email="sam@example.com")
    assert (sam.status, sam.amount, sam.course.slug) == (
        "pending",
        sam.course.price,
        "django-rest-apis",
    )
    tom = Payment.objects.get(student__email="tom@example.com")
    assert tom.status == Payment.Status.SUCCEEDED
    assert (
        Enrollment.objects.get(student__email="tom@example.com").course.slug == "django-rest-apis"
    )


def test_demo_skips_when_courses_are_missing():
    out = io.StringIO()

    enrollments_demo.seed(out)
    payments_demo.seed(out)

    assert "skipped" in out.getvalue()
    assert not Enrollment.objects.exists()
