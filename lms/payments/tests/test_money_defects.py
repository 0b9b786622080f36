"""Issue 9's money defects: no double charge; a paid event always ends where an admin can act."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from lms.enrollments.models import Enrollment
from lms.enrollments.selectors import is_enrolled
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.payments.models import Payment
from lms.payments.tests.conftest import charge_refunded_event, session_event
from lms.payments.tests.factories import PaymentFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/payments/"
CHECKOUT = f"{URL}checkout/"
ENROLL = "/api/v1/enrollments/"


def detail(payment_id: int, action: str) -> str:
    return f"{URL}{payment_id}/{action}/"


def stripe_pending(student, course, reference="cs_test_abc") -> Payment:
    return PaymentFactory(
        student=student,
        course=course,
        provider=Payment.Provider.STRIPE,
        provider_reference=reference,
    )


def standing_payments_of(student) -> list[Payment]:
    return list(Payment.objects.filter(student=student, status="succeeded", refund_due=False))


# --- a: one rule decides whether a student may pay; never twice for one course ----------


def test_paying_again_after_cancelling_a_paid_enrollment_is_refused(
    auth_client, student, admin, paid_course
):
    # Given a student who paid, was enrolled, and cancelled
    client = auth_client(student)
    first = client.post(CHECKOUT, {"course": paid_course.pk}).json()
    assert auth_client(admin).post(detail(first["id"], "confirm")).status_code == 200
    enrollment = Enrollment.objects.get(student=student, course=paid_course)
    assert client.delete(f"{ENROLL}{enrollment.pk}/").status_code == 204

    # When they check out again
    again = client.post(CHECKOUT, {"course": paid_course.pk})

    # Then no second charge begins: they re-enroll for free instead
    assert again.status_code == 409
    assert "already paid" in again.json()["detail"]
    assert Payment.objects.filter(student=student).count() == 1
    assert client.post(ENROLL, {"course": paid_course.pk}).status_code == 201


@pytest.mark.parametrize("enrollment_status", ["active", "cancelled"])
def test_an_admin_cannot_confirm_a_second_payment_for_a_course_already_paid(
    auth_client, admin, student, paid_course, enrollment_status
):
    PaymentFactory(student=student, course=paid_course, status=Payment.Status.SUCCEEDED)
    EnrollmentFactory(student=student, course=paid_course, status=enrollment_status)
    second = PaymentFactory(student=student, course=paid_course)

    response = auth_client(admin).post(detail(second.pk, "confirm"))

    assert response.status_code == 409
    second.refresh_from_db()
    assert second.status == Payment.Status.PENDING
    assert len(standing_payments_of(student)) == 1


def test_the_admin_confirm_action_refuses_a_second_payment_too(admin, student, paid_course):
    PaymentFactory(student=student, course=paid_course, status=Payment.Status.SUCCEEDED)
    EnrollmentFactory(student=student, course=paid_course, status=Enrollment.Status.CANCELLED)
    second = PaymentFactory(student=student, course=paid_course)
    site = Client()
    site.force_login(admin)

    response = site.post(
        "/admin/payments/payment/",
        {"action": "confirm_payments", "_selected_action": [second.pk]},
        follow=True,
    )

    assert b"not confirmed" in response.content
    second.refresh_from_db()
    assert second.status == Payment.Status.PENDING


def test_the_database_holds_one_standing_payment_per_student_and_course(student, paid_course):
    PaymentFactory(student=student, course=paid_course, status=Payment.Status.SUCCEEDED)
    # A refunded payment or one whose refund is due grants nothing: these may coexist
    PaymentFactory(student=student, course=paid_course, status=Payment.Status.REFUNDED)
    PaymentFactory(
        student=student, course=paid_course, status=Payment.Status.SUCCEEDED, refund_due=True
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentFactory(student=student, course=paid_course, status=Payment.Status.SUCCEEDED)


def test_a_stripe_payment_for_a_course_already_paid_owes_a_refund_that_keeps_the_seat(
    auth_client, admin, student, paid_course, post_stripe_event, stripe_api
):
    first = PaymentFactory(student=student, course=paid_course, status=Payment.Status.SUCCEEDED)
    EnrollmentFactory(student=student, course=paid_course)
    second = stripe_pending(student, paid_course)

    response = post_stripe_event(session_event(second))

    assert (response.status_code, response.json()) == (200, {"status": "processed"})
    [body] = auth_client(admin).get(URL, {"refund_due": "true"}).json()["results"]
    assert (body["id"], body["status"], body["refund_due"]) == (second.pk, "succeeded", True)
    assert "already enrolled" in body["failure_reason"]
    refunded = auth_client(admin).post(detail(second.pk, "refund"))
    assert refunded.status_code == 200
    assert (refunded.json()["status"], refunded.json()["refund_due"]) == ("refunded", False)
    assert stripe_api.requests[-1]["form"]["payment_intent"] == "pi_test_1"
    # The first payment still grants the course
    assert is_enrolled(student, paid_course.pk)
    assert standing_payments_of(student) == [first]


def test_stripe_refunding_a_refund_due_leaves_the_enrollment_alone(
    student, paid_course, post_stripe_event
):
    PaymentFactory(student=student, course=paid_course, status=Payment.Status.SUCCEEDED)
    EnrollmentFactory(student=student, course=paid_course)
    second = stripe_pending(student, paid_course)
    post_stripe_event(session_event(second))
    second.refresh_from_db()

    response = post_stripe_event(charge_refunded_event(second))

    assert response.status_code == 200
    second.refresh_from_db()
    assert second.status == Payment.Status.REFUNDED
    assert is_enrolled(student, paid_course.pk)


# --- b: a paid event always ends in a state an admin can act on ---------------------------


def superseded_checkout(client, course) -> tuple[Payment, Payment]:
    """Check out, change the price, check out again: the first checkout is superseded."""
    first = client.post(CHECKOUT, {"course": course.pk}).json()
    course.price = Decimal("59.00")
    course.save()
    second = client.post(CHECKOUT, {"course": course.pk}).json()
    return Payment.objects.get(pk=first["id"]), Payment.objects.get(pk=second["id"])


def test_a_superseded_checkout_paid_later_enrolls_the_student(
    auth_client, student, paid_course, stripe_api, post_stripe_event
):
    old, new = superseded_checkout(auth_client(student), paid_course)
    assert old.status == Payment.Status.FAILED

    response = post_stripe_event(session_event(old))

    assert response.json() == {"status": "processed"}
    old.refresh_from_db()
    assert (old.status, old.refund_due, old.failure_reason) == ("succeeded", False, "")
    assert is_enrolled(student, paid_course.pk)
    # Paying the newer checkout as well is a second charge: it owes a refund
    post_stripe_event(session_event(new, event_id="evt_2", payment_intent="pi_test_2"))
    new.refresh_from_db()
    assert (new.status, new.refund_due) == ("succeeded", True)
    assert standing_payments_of(student) == [old]


def test_a_superseded_checkout_paid_after_the_newer_one_is_refunded_by_an_admin(
    auth_client, admin, student, paid_course, stripe_api, post_stripe_event
):
    old, new = superseded_checkout(auth_client(student), paid_course)
    post_stripe_event(session_event(new, event_id="evt_new", payment_intent="pi_new"))

    response = post_stripe_event(session_event(old, event_id="evt_old", payment_intent="pi_old"))

    assert (response.status_code, response.json()) == (200, {"status": "processed"})
    old.refresh_from_db()
    assert (old.status, old.refund_due) == ("succeeded", True)
    refunded = auth_client(admin).post(detail(old.pk, "refund"))
    assert refunded.status_code == 200
    assert refunded.json()["status"] == "refunded"
    assert stripe_api.requests[-1]["path"] == "/v1/refunds"
    assert stripe_api.requests[-1]["form"]["payment_intent"] == "pi_old"
    assert is_enrolled(student, paid_course.pk)
    assert standing_payments_of(student) == [new]


def test_a_course_unpublished_after_checkout_acknowledges_the_payment_and_owes_a_refund(
    auth_client, admin, student, paid_course, post_stripe_event, stripe_api
):
    payment = stripe_pending(student, paid_course)
    paid_course.is_published = False
    paid_course.save()

    first = post_stripe_event(session_event(payment))
    again = post_stripe_event(session_event(payment))

    assert (first.status_code, first.json()) == (200, {"status": "processed"})
    assert (again.status_code, again.json()) == (200, {"status": "duplicate"})
    payment.refresh_from_db()
    assert (payment.status, payment.refund_due) == ("succeeded", True)
    assert "not open for enrollment" in payment.failure_reason
    assert not is_enrolled(student, paid_course.pk)
    assert auth_client(admin).post(detail(payment.pk, "refund")).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED


def test_a_course_full_when_the_money_arrives_owes_a_refund_and_opens_no_seat_later(
    auth_client, student, paid_course, post_stripe_event
):
    paid_course.capacity = 1
    paid_course.save()
    taken = EnrollmentFactory(course=paid_course)
    payment = stripe_pending(student, paid_course)

    assert post_stripe_event(session_event(payment)).status_code == 200

    payment.refresh_from_db()
    assert (payment.status, payment.refund_due) == ("succeeded", True)
    assert "full" in payment.failure_reason
    # A seat frees up: a payment that is owed back does not open the course
    taken.status = Enrollment.Status.CANCELLED
    taken.save()
    assert auth_client(student).post(ENROLL, {"course": paid_course.pk}).status_code == 402


def test_the_receipt_of_a_payment_owed_back_says_so(
    student, paid_course, post_stripe_event, mailoutbox, django_capture_on_commit_callbacks
):
    payment = stripe_pending(student, paid_course)
    paid_course.is_published = False
    paid_course.save()

    with django_capture_on_commit_callbacks(execute=True):
        post_stripe_event(session_event(payment))

    [receipt] = mailoutbox
    assert "will be refunded" in receipt.body
    assert "You are enrolled" not in receipt.body


def test_the_admin_refund_action_refunds_a_payment_owed_back(
    admin, student, paid_course, post_stripe_event, stripe_api
):
    payment = stripe_pending(student, paid_course)
    paid_course.is_published = False
    paid_course.save()
    post_stripe_event(session_event(payment))
    site = Client()
    site.force_login(admin)

    site.post(
        "/admin/payments/payment/",
        {"action": "refund_payments", "_selected_action": [payment.pk]},
        follow=True,
    )

    payment.refresh_from_db()
    assert (payment.status, payment.refund_due) == ("refunded", False)
    assert stripe_api.requests[-1]["path"] == "/v1/refunds"
