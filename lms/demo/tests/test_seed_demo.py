"""`manage.py seed_demo`: loads the demo data, prints every login, and is safe to re-run."""

import io

import pytest
from django.core.management import call_command

from lms.common.tests.helpers import API, login, results
from lms.courses.models import ContentItem, Course, Lesson, Module
from lms.enrollments.models import Certificate, Enrollment
from lms.payments.models import Coupon, Payment
from lms.quizzes.models import Question, Quiz, QuizSubmission
from lms.users.models import User

pytestmark = pytest.mark.django_db

MODELS = (
    User,
    Course,
    Module,
    Lesson,
    ContentItem,
    Enrollment,
    Payment,
    Coupon,
    Certificate,
    Quiz,
    Question,
    QuizSubmission,
)
DEMO_LOGINS = {
    "admin@example.com": "admin",
    "ada@example.com": "instructor",
    "alan@example.com": "instructor",
    "maria@example.com": "student",
    "li@example.com": "student",
    "sam@example.com": "student",
    "noor@example.com": "student",
    "tom@example.com": "student",
}


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_demo_prints_every_login_and_a_second_run_changes_nothing():
    # When the demo data is loaded
    first_output = seed()
    after_first = row_counts()

    # Then every demo login is printed with its role and the shared password
    assert "learn-demo-2026" in first_output
    for email, role in DEMO_LOGINS.items():
        assert any(email in line and role in line for line in first_output.splitlines()), email
    # And every kind of row exists
    assert all(count > 0 for count in after_first.values()), after_first

    # When it runs again, nothing is added or removed
    second_output = seed()
    assert row_counts() == after_first
    assert "Demo data ready." in second_output
    assert set(Course.objects.values_list("slug", flat=True)) >= {
        "python-fundamentals",
        "django-rest-apis",
        "data-science-draft",
    }


def test_the_demo_student_logs_in_and_sees_her_course_half_done():
    seed()
    seed()

    client, body = login("maria@example.com", "learn-demo-2026")

    assert body["user"]["role"] == "student"
    assert body["user"]["cohort"] == "2026-spring"
    enrollments = results(client.get(f"{API}enrollments/"))
    course_slugs = {e["course"]["slug"] for e in enrollments}
    assert "python-fundamentals" in course_slugs
    python = next(e for e in enrollments if e["course"]["slug"] == "python-fundamentals")
    detail = client.get(f"{API}enrollments/{python['id']}/").json()
    assert 0 < detail["progress"]["percent"] < 100


@pytest.mark.parametrize("email", sorted(DEMO_LOGINS))
def test_every_demo_account_logs_in_with_its_role(email):
    seed()

    _client, body = login(email, "learn-demo-2026")

    assert body["user"]["role"] == DEMO_LOGINS[email]


def test_the_demo_catalog_shows_published_courses_only():
    seed()

    slugs = {
        c["slug"]
        for c in results(login("maria@example.com", "learn-demo-2026")[0].get(f"{API}courses/"))
    }

    assert {"python-fundamentals", "django-rest-apis"} <= slugs
    assert "data-science-draft" not in slugs


def test_a_demo_student_buys_the_paid_course_with_welcome50():
    seed()
    course = Course.objects.get(slug="django-rest-apis")
    client, _ = login("noor@example.com", "learn-demo-2026")

    quote = client.get(f"{API}coupons/quote/", {"code": "welcome50", "course": course.pk})
    assert quote.status_code == 200, quote.content
    assert quote.json()["amount"] == str(course.price / 2)
    bought = client.post(f"{API}payments/checkout/", {"course": course.pk, "coupon": "WELCOME50"})
    assert bought.status_code == 201, bought.content
    assert (bought.json()["coupon"], bought.json()["provider"]) == ("WELCOME50", "manual")

    admin, _ = login("admin@example.com", "learn-demo-2026")
    confirmed = admin.post(f"{API}payments/{bought.json()['id']}/confirm/")
    assert confirmed.status_code == 200, confirmed.content
    assert Enrollment.objects.get(student__email="noor@example.com", course=course).source == (
        "payment"
    )
