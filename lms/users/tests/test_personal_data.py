"""Personal data: export everything about me in constant queries; erase (anonymise) my account."""

import itertools
import time
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.utils import timezone
from rest_framework.test import APIClient

from lms.enrollments.models import Enrollment
from lms.enrollments.tests.factories import (
    CertificateFactory,
    EnrollmentFactory,
    LessonProgressFactory,
)
from lms.notifications.models import Notification
from lms.notifications.tests.factories import NotificationFactory
from lms.payments.models import Payment
from lms.payments.tests.factories import CouponFactory, PaymentFactory
from lms.quizzes.models import Answer
from lms.quizzes.tests.factories import QuestionFactory, QuizSubmissionFactory
from lms.users.models import User
from lms.users.tests.factories import DEFAULT_PASSWORD, AdminFactory, StudentFactory
from lms.users.tests.test_google import STRANGER_KEY, google, id_token  # noqa: F401
from lms.users.tokens import token_pair_for

pytestmark = pytest.mark.django_db

_serial = itertools.count()
EXPORT = "/api/v1/users/me/export/"
ERASE = "/api/v1/users/me/erase/"


def give_records(user, n: int = 1) -> None:
    """`n` rows of every kind a person has: enrollments, progress, certificates,
    submissions with answers, payments, email addresses, social accounts."""
    for _ in range(n):
        i = next(_serial)
        enrollment = EnrollmentFactory(student=user, cohort="2026-spring")
        LessonProgressFactory(enrollment=enrollment)
        CertificateFactory(enrollment=EnrollmentFactory(student=user, status="completed"))
        submission = QuizSubmissionFactory(student=user)
        question = QuestionFactory(quiz=submission.quiz, kind="short_answer")
        Answer.objects.create(submission=submission, question=question, text=f"My name is {i}")
        PaymentFactory(student=user, coupon=CouponFactory(), status=Payment.Status.SUCCEEDED)
        EmailAddress.objects.create(user=user, email=f"alt{i}-{user.pk}@example.com")
        SocialAccount.objects.create(user=user, provider="google", uid=f"uid-{user.pk}-{i}")
        NotificationFactory(user=user)


# --- export -------------------------------------------------------------------------


def test_anonymous_gets_401(api_client):
    assert api_client.get(EXPORT).status_code == 401
    assert api_client.post(ERASE, {"password": "x"}).status_code == 401


@pytest.mark.parametrize("factory", [StudentFactory, AdminFactory])
def test_export_is_everything_about_me_and_nothing_about_others(auth_client, factory):
    user = factory(first_name="Ada", cohort="A1")
    give_records(user)
    give_records(StudentFactory())

    response = auth_client(user).get(EXPORT)

    assert response.status_code == 200
    doc = response.json()
    assert doc["user_id"] == user.pk
    assert doc["profile"]["email"] == user.email
    assert doc["profile"]["cohort"] == "A1"
    counts = {
        k: len(doc[k])
        for k in (
            "email_addresses",
            "social_accounts",
            "enrollments",
            "lesson_progress",
            "certificates",
            "quiz_submissions",
            "payments",
            "notifications",
        )
    }
    assert counts == {
        "email_addresses": 1,
        "social_accounts": 1,
        "enrollments": 2,
        "lesson_progress": 1,
        "certificates": 1,
        "quiz_submissions": 1,
        "payments": 1,
        "notifications": 1,
    }
    assert doc["quiz_submissions"][0]["answers"][0]["text"].startswith("My name is")
    assert doc["payments"][0]["coupon"] is not None


def test_export_costs_the_same_queries_for_one_or_many_rows(auth_client, assert_constant_queries):
    user = StudentFactory()
    give_records(user)
    client = auth_client(user)

    assert_constant_queries(lambda: client.get(EXPORT), lambda: give_records(user, 4))


# --- erase --------------------------------------------------------------------------


def login(email, password=DEFAULT_PASSWORD):
    return APIClient().post("/api/v1/users/login/", {"email": email, "password": password})


def test_erase_anonymises_at_once_and_keeps_the_legal_records(auth_client, events_heard):
    user = StudentFactory(first_name="Ada", last_name="Lovelace", cohort="A1")
    give_records(user)
    pending = PaymentFactory(student=user)
    certificate = user.enrollments.get(status="completed").certificate
    old_email, tokens = user.email, token_pair_for(user)

    response = auth_client(user).post(ERASE, {"password": DEFAULT_PASSWORD})

    assert response.status_code == 200, response.content
    user.refresh_from_db()
    assert user.email == f"erased-{user.pk}@invalid"
    assert (user.first_name, user.last_name, user.cohort) == ("", "", "")
    assert not user.has_usable_password()
    assert not user.is_active and user.erased_at is not None
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not SocialAccount.objects.filter(user=user).exists()
    assert not Notification.objects.filter(user=user).exists()
    # Legal records stay, under the anonymous account.
    assert Payment.objects.filter(student=user, status="succeeded").count() == 1
    pending.refresh_from_db()
    assert pending.status == Payment.Status.FAILED
    verify = APIClient().get(f"/api/v1/certificates/verify/{certificate.code}/").json()
    assert verify["student_name"] == "Anonymous learner"
    # Free text is gone; cohorts copied onto enrollments too.
    assert set(Answer.objects.filter(submission__student=user).values_list("text", flat=True)) == {
        ""
    }
    assert not Enrollment.objects.filter(student=user).exclude(cohort="").exists()
    # Nothing works any more: login, refresh, access.
    assert login(old_email).status_code == 401
    assert login(user.email).status_code == 401
    refreshed = APIClient().post("/api/v1/token/refresh/", {"refresh": tokens["refresh"]})
    assert refreshed.status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert client.get("/api/v1/users/me/").status_code == 401
    # And nothing about the person was told to anyone.
    assert events_heard == []


@pytest.mark.parametrize("body", [{"password": "wrong-password-1"}, {}, {"password": ""}])
def test_a_wrong_or_missing_password_is_400_and_changes_nothing(auth_client, student, body):
    response = auth_client(student).post(ERASE, body, format="json")

    assert response.status_code == 400
    assert "password" in response.json()
    student.refresh_from_db()
    assert student.is_active and student.erased_at is None
    assert student.check_password(DEFAULT_PASSWORD)


def test_bad_input_types_are_400(auth_client, student):
    response = auth_client(student).post(ERASE, {"password": ["a", "b"]}, format="json")
    assert response.status_code == 400


def test_the_last_active_admin_cannot_erase_themselves(auth_client, admin):
    response = auth_client(admin).post(ERASE, {"password": DEFAULT_PASSWORD})

    assert response.status_code == 409
    assert response.json()["code"] == "last_admin"
    admin.refresh_from_db()
    assert admin.erased_at is None and admin.is_active


def test_an_admin_erases_themselves_when_another_admin_remains(auth_client, admin):
    AdminFactory()
    assert auth_client(admin).post(ERASE, {"password": DEFAULT_PASSWORD}).status_code == 200


def test_an_instructor_erases_themselves(auth_client, instructor):
    assert auth_client(instructor).post(ERASE, {"password": DEFAULT_PASSWORD}).status_code == 200
    instructor.refresh_from_db()
    assert instructor.email == f"erased-{instructor.pk}@invalid"


def test_erasure_is_throttled_like_a_password_change(auth_client, student, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "password_change": "2/min"}
    client = auth_client(student)
    for _ in range(2):
        assert client.post(ERASE, {"password": "wrong-password-1"}).status_code == 400

    response = client.post(ERASE, {"password": DEFAULT_PASSWORD})

    assert response.status_code == 429
    assert "Retry-After" in response
    student.refresh_from_db()
    assert student.is_active


def test_an_erased_coupon_checkout_releases_its_redemption(auth_client, student):
    coupon = CouponFactory(max_redemptions=1)
    payment = PaymentFactory(student=student, coupon=coupon, discount=Decimal("4.90"))
    auth_client(student).post(ERASE, {"password": DEFAULT_PASSWORD})
    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED
    assert User.objects.get(pk=student.pk).erased_at <= timezone.now()


# --- accounts without a password: a fresh Google ID token -----------------------


@pytest.fixture
def google_user(db):
    user = StudentFactory(email="grace@gmail.com")
    user.set_unusable_password()
    user.save()
    SocialAccount.objects.create(user=user, provider="google", uid="1234567890")
    return user


@pytest.mark.usefixtures("google")
def test_a_google_only_account_erases_with_a_fresh_id_token(auth_client, google_user):
    response = auth_client(google_user).post(ERASE, {"id_token": id_token()})

    assert response.status_code == 200, response.content
    google_user.refresh_from_db()
    assert google_user.erased_at is not None
    assert not SocialAccount.objects.filter(user=google_user).exists()
    # Google no longer leads to the erased account: it would be a new person.
    again = APIClient().post("/api/v1/users/google/", {"id_token": id_token()})
    assert again.json()["user"]["id"] != google_user.pk


@pytest.mark.usefixtures("google")
@pytest.mark.parametrize(
    "claims",
    [
        {"iat": int(time.time()) - 3600},  # signed in an hour ago: not fresh
        {"sub": "someone-else"},  # another Google account
    ],
    ids=["stale", "another account"],
)
def test_a_stale_or_foreign_id_token_is_400(auth_client, google_user, claims):
    response = auth_client(google_user).post(ERASE, {"id_token": id_token(**claims)})

    assert response.status_code == 400
    assert "id_token" in response.json()
    google_user.refresh_from_db()
    assert google_user.erased_at is None


@pytest.mark.usefixtures("google")
def test_a_google_only_account_needs_an_id_token(auth_client, google_user):
    response = auth_client(google_user).post(ERASE, {"password": "anything-at-all"})
    assert response.status_code == 400
    assert "id_token" in response.json()


@pytest.mark.usefixtures("google")
def test_a_forged_id_token_is_400(auth_client, google_user):
    response = auth_client(google_user).post(ERASE, {"id_token": id_token(key=STRANGER_KEY)})
    assert response.status_code == 400
    google_user.refresh_from_db()
    assert google_user.is_active
