"""Coupons with Stripe (the local stand-in), and the single-use race on PostgreSQL."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from lms.enrollments.models import Enrollment
from lms.enrollments.selectors import is_enrolled
from lms.payments.models import Payment
from lms.payments.tests.conftest import session_event
from lms.payments.tests.factories import CouponFactory
from lms.users.tests.factories import StudentFactory

CHECKOUT = "/api/v1/payments/checkout/"


@pytest.mark.django_db
def test_stripe_charges_the_discounted_amount_and_the_webhook_checks_it(
    auth_client, student, paid_course, stripe_api, post_stripe_event
):
    CouponFactory(code="HALF", percent_off=50)

    response = auth_client(student).post(CHECKOUT, {"course": paid_course.pk, "coupon": "HALF"})

    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "24.50"
    [sent] = stripe_api.requests
    assert sent["form"]["line_items[0][price_data][unit_amount]"] == "2450"
    payment = Payment.objects.get()
    hold_ends = payment.created_at + timedelta(minutes=60)
    assert int(sent["form"]["expires_at"]) == int(hold_ends.timestamp())
    # A session that charged the full price does not match the discounted payment.
    full = session_event(payment, event_id="evt_full", amount_total=4900)
    assert post_stripe_event(full).status_code == 200
    payment.refresh_from_db()
    assert (payment.status, payment.refund_due) == (Payment.Status.SUCCEEDED, True)
    assert "amount 4900 is not 2450" in payment.failure_reason


@pytest.mark.django_db
def test_a_discounted_stripe_session_paid_enrolls(
    auth_client, student, paid_course, stripe_api, post_stripe_event
):
    CouponFactory(code="HALF", percent_off=50)
    auth_client(student).post(CHECKOUT, {"course": paid_course.pk, "coupon": "HALF"})
    payment = Payment.objects.get()

    response = post_stripe_event(session_event(payment))  # amount_total 2450

    assert response.json() == {"status": "processed"}
    payment.refresh_from_db()
    assert (payment.status, payment.refund_due) == (Payment.Status.SUCCEEDED, False)
    assert Enrollment.objects.get(student=student).source == Enrollment.Source.PAYMENT


@pytest.mark.django_db
def test_paid_after_the_hold_lapsed_and_the_coupon_went_elsewhere_is_a_refund_due(
    auth_client, student, other_student, paid_course, stripe_api, post_stripe_event
):
    CouponFactory(code="ONCE", percent_off=50, max_redemptions=1)
    auth_client(student).post(CHECKOUT, {"course": paid_course.pk, "coupon": "ONCE"})
    payment = Payment.objects.get()
    Payment.objects.filter(pk=payment.pk).update(created_at=timezone.now() - timedelta(minutes=90))
    taken = auth_client(other_student).post(CHECKOUT, {"course": paid_course.pk, "coupon": "ONCE"})
    assert taken.status_code == 201

    post_stripe_event(session_event(payment))

    payment.refresh_from_db()
    assert (payment.status, payment.refund_due) == (Payment.Status.SUCCEEDED, True)
    assert "used up" in payment.failure_reason
    assert not is_enrolled(student, paid_course.pk)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("zero_amount", [False, True], ids=["discount", "free"])
def test_ten_checkouts_of_a_single_use_coupon_give_one_redemption(
    requires_postgres, paid_course, zero_amount
):
    CouponFactory(code="ONCE", percent_off=100 if zero_amount else 50, max_redemptions=1)
    students = [StudentFactory() for _ in range(10)]
    barrier = threading.Barrier(len(students))
    results: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def buy(student):
        try:
            client = APIClient()
            token = RefreshToken.for_user(student).access_token
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
            barrier.wait(timeout=30)
            response = client.post(
                CHECKOUT, {"course": paid_course.pk, "coupon": "ONCE"}, format="json"
            )
            with lock:
                results.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=(s,)) for s in students]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [400] * 9, results
    refused = [body for status, body in results if status == 400]
    assert all(body == {"coupon": ["This coupon has been used up."]} for body in refused)
    assert Payment.objects.filter(coupon__code="ONCE").count() == 1
    assert Enrollment.objects.count() == (1 if zero_amount else 0)
