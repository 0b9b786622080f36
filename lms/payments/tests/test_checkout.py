"""Checkout with the manual provider, payment history, and the admin's confirm and refund."""

from decimal import Decimal

import pytest

from lms.courses.tests.factories import CourseFactory
from lms.enrollments.models import Enrollment
from lms.enrollments.selectors import is_enrolled
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.payments.models import Payment
from lms.payments.tests.factories import PaymentFactory
from lms.users.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/payments/"
CHECKOUT = f"{URL}checkout/"


def detail(payment, action: str = "") -> str:
    return f"{URL}{payment.pk}/{action + '/' if action else ''}"


# --- POST payments/checkout/ ----------------------------------------------------------


def test_student_checks_out_at_the_course_price(auth_client, student, paid_course):
    response = auth_client(student).post(
        CHECKOUT, {"course": paid_course.pk, "amount": "0.01", "currency": "EUR"}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending"
    assert (body["amount"], body["currency"], body["provider"]) == ("49.00", "USD", "manual")
    assert body["checkout_url"] is None
    assert f"PAY-{body['id']}" in body["instructions"]
    payment = Payment.objects.get(pk=body["id"])
    assert (payment.student, payment.course, payment.amount) == (
        student,
        paid_course,
        Decimal("49.00"),
    )
    assert not is_enrolled(student, paid_course.pk)


def test_a_pending_checkout_is_reused(auth_client, student, paid_course):
    client = auth_client(student)
    first = client.post(CHECKOUT, {"course": paid_course.pk}).json()

    second = client.post(CHECKOUT, {"course": paid_course.pk})

    assert second.status_code == 201
    assert second.json()["id"] == first["id"]
    assert Payment.objects.count() == 1


def test_a_price_change_replaces_the_pending_checkout(auth_client, student, paid_course):
    client = auth_client(student)
    first = client.post(CHECKOUT, {"course": paid_course.pk}).json()
    paid_course.price = Decimal("59.00")
    paid_course.save()

    second = client.post(CHECKOUT, {"course": paid_course.pk}).json()

    assert second["id"] != first["id"]
    assert second["amount"] == "59.00"
    assert Payment.objects.get(pk=first["id"]).status == Payment.Status.FAILED


def test_free_course_checkout_is_400(auth_client, student):
    course = CourseFactory(price=Decimal("0.00"))

    response = auth_client(student).post(CHECKOUT, {"course": course.pk})

    assert response.status_code == 400
    assert "course" in response.json()
    assert not Payment.objects.exists()


@pytest.mark.parametrize("body", [{}, {"course": "x"}, {"course": 999999}])
def test_bad_checkout_input_is_400(auth_client, student, body):
    assert auth_client(student).post(CHECKOUT, body).status_code == 400


def test_unpublished_course_checkout_is_400(auth_client, student):
    course = CourseFactory(price=Decimal("10.00"), is_published=False)

    assert auth_client(student).post(CHECKOUT, {"course": course.pk}).status_code == 400


def test_checkout_when_already_enrolled_is_409(auth_client, student, paid_course):
    EnrollmentFactory(student=student, course=paid_course)

    response = auth_client(student).post(CHECKOUT, {"course": paid_course.pk})

    assert response.status_code == 409
    assert not Payment.objects.exists()


def test_checkout_of_a_full_course_is_409(auth_client, student, paid_course):
    paid_course.capacity = 1
    paid_course.save()
    EnrollmentFactory(course=paid_course)

    assert auth_client(student).post(CHECKOUT, {"course": paid_course.pk}).status_code == 409


@pytest.mark.parametrize("role", ["instructor", "admin"])
def test_only_students_check_out(request, auth_client, paid_course, role):
    response = auth_client(request.getfixturevalue(role)).post(CHECKOUT, {"course": paid_course.pk})

    assert response.status_code == 403
    assert not Payment.objects.exists()


def test_anonymous_checkout_is_401(api_client, paid_course):
    assert api_client.post(CHECKOUT, {"course": paid_course.pk}).status_code == 401


# --- GET payments/ and payments/{id}/ -------------------------------------------------


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_payment_list_is_own_or_all_for_admin(
    auth_client, student, other_student, admin, instructor
):
    mine = PaymentFactory(student=student)
    theirs = PaymentFactory(student=other_student)

    assert _ids(auth_client(student).get(URL)) == {mine.pk}
    assert _ids(auth_client(admin).get(URL)) == {mine.pk, theirs.pk}
    assert _ids(auth_client(instructor).get(URL)) == set()


def test_payment_list_filters(auth_client, admin, paid_course):
    pending = PaymentFactory(course=paid_course)
    succeeded = PaymentFactory(course=paid_course, status=Payment.Status.SUCCEEDED)
    PaymentFactory(status=Payment.Status.SUCCEEDED)
    client = auth_client(admin)

    assert _ids(client.get(URL, {"course_id": paid_course.pk})) == {pending.pk, succeeded.pk}
    assert _ids(client.get(URL, {"course_id": paid_course.pk, "status": "succeeded"})) == {
        succeeded.pk
    }
    assert client.get(URL, {"status": "paid"}).status_code == 400


def test_payment_list_needs_authentication(api_client):
    assert api_client.get(URL).status_code == 401


@pytest.mark.parametrize("role", ["admin", "student"])
def test_payment_list_runs_constant_queries(request, auth_client, assert_constant_queries, role):
    user = request.getfixturevalue(role)
    owner = user if role == "student" else StudentFactory()
    PaymentFactory(student=owner)
    client = auth_client(user)

    def call():
        assert client.get(URL, {"page_size": 100}).status_code == 200

    assert_constant_queries(call, lambda: PaymentFactory.create_batch(29, student=owner))
    assert client.get(URL).json()["count"] == 30


@pytest.mark.parametrize("role", ["student", "admin"])
def test_owner_and_admin_read_a_payment(request, auth_client, student, role):
    payment = PaymentFactory(student=student)

    response = auth_client(request.getfixturevalue(role)).get(detail(payment))

    assert response.status_code == 200
    assert response.json()["id"] == payment.pk


@pytest.mark.parametrize("role", ["other_student", "instructor"])
def test_others_get_404_for_a_payment(request, auth_client, student, role):
    payment = PaymentFactory(student=student)

    assert auth_client(request.getfixturevalue(role)).get(detail(payment)).status_code == 404


# --- POST payments/{id}/confirm/ ------------------------------------------------------


def test_admin_confirms_once_enrolls_and_emails_once(
    auth_client, admin, student, paid_course, mailoutbox, django_capture_on_commit_callbacks
):
    payment = PaymentFactory(student=student, course=paid_course)
    client = auth_client(admin)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(detail(payment, "confirm"))
        second = client.post(detail(payment, "confirm"))

    assert first.status_code == 200
    assert first.json()["status"] == "succeeded"
    assert second.status_code == 409
    payment.refresh_from_db()
    assert payment.paid_at is not None
    assert Enrollment.objects.get(student=student, course=paid_course).status == "active"
    subjects = sorted(m.subject for m in mailoutbox)
    assert subjects == ["Receipt: Django REST APIs", "You are enrolled in Django REST APIs"]


def test_confirming_when_the_course_is_full_changes_nothing(auth_client, admin, paid_course):
    paid_course.capacity = 1
    paid_course.save()
    EnrollmentFactory(course=paid_course)
    payment = PaymentFactory(course=paid_course)

    response = auth_client(admin).post(detail(payment, "confirm"))

    assert response.status_code == 409
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING


def test_a_stripe_payment_is_not_confirmed_by_hand(auth_client, admin):
    payment = PaymentFactory(provider=Payment.Provider.STRIPE)

    assert auth_client(admin).post(detail(payment, "confirm")).status_code == 400


@pytest.mark.parametrize("role", ["student", "other_student", "instructor"])
def test_only_admins_confirm(request, auth_client, student, role):
    payment = PaymentFactory(student=student)

    response = auth_client(request.getfixturevalue(role)).post(detail(payment, "confirm"))

    assert response.status_code == 403
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING


def test_anonymous_confirm_is_401(api_client):
    assert api_client.post(detail(PaymentFactory(), "confirm")).status_code == 401


def test_confirming_an_unknown_payment_is_404(auth_client, admin):
    assert auth_client(admin).post(f"{URL}999999/confirm/").status_code == 404


# --- POST payments/{id}/refund/ -------------------------------------------------------


def test_admin_refund_cancels_the_enrollment(auth_client, admin, student, paid_course):
    payment = PaymentFactory(student=student, course=paid_course)
    client = auth_client(admin)
    client.post(detail(payment, "confirm"))

    response = client.post(detail(payment, "refund"))

    assert response.status_code == 200
    assert response.json()["status"] == "refunded"
    assert not is_enrolled(student, paid_course.pk)
    assert Enrollment.objects.get(student=student).status == Enrollment.Status.CANCELLED
    assert client.post(detail(payment, "refund")).status_code == 409


def test_refunding_a_pending_payment_is_409(auth_client, admin):
    payment = PaymentFactory()

    assert auth_client(admin).post(detail(payment, "refund")).status_code == 409


@pytest.mark.parametrize("role", ["student", "instructor"])
def test_only_admins_refund(request, auth_client, student, role):
    payment = PaymentFactory(student=student, status=Payment.Status.SUCCEEDED)

    assert (
        auth_client(request.getfixturevalue(role)).post(detail(payment, "refund")).status_code
        == 403
    )


# --- the whole path ----------------------------------------------------------------------


def test_paid_course_path_from_402_to_content(auth_client, student, admin, paid_course):
    client = auth_client(student)
    refused = client.post("/api/v1/enrollments/", {"course": paid_course.pk})
    payment = client.post(refused.json()["checkout"], {"course": paid_course.pk}).json()

    auth_client(admin).post(f"{URL}{payment['id']}/confirm/")

    assert is_enrolled(student, paid_course.pk)
    assert client.get(f"{URL}{payment['id']}/").json()["status"] == "succeeded"
    assert client.post("/api/v1/enrollments/", {"course": paid_course.pk}).status_code == 409


def test_a_paying_student_who_cancelled_reenrolls_without_paying_again(
    auth_client, student, paid_course
):
    PaymentFactory(student=student, course=paid_course, status=Payment.Status.SUCCEEDED)
    enrollment = EnrollmentFactory(
        student=student, course=paid_course, status=Enrollment.Status.CANCELLED
    )

    response = auth_client(student).post("/api/v1/enrollments/", {"course": paid_course.pk})

    assert response.status_code == 201
    assert response.json()["id"] == enrollment.pk


def test_a_refunded_student_must_pay_again(auth_client, student, paid_course):
    PaymentFactory(student=student, course=paid_course, status=Payment.Status.REFUNDED)
    EnrollmentFactory(student=student, course=paid_course, status=Enrollment.Status.CANCELLED)

    response = auth_client(student).post("/api/v1/enrollments/", {"course": paid_course.pk})

    assert response.status_code == 402
