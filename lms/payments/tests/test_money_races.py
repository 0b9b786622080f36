"""Money under concurrency (PostgreSQL): one standing payment, no lock held across Stripe calls."""

import json
import threading
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from rest_framework.test import APIClient

from lms.enrollments.models import Enrollment
from lms.payments.models import Payment
from lms.payments.tests.conftest import WEBHOOK_URL, session_event, stripe_signature
from lms.payments.tests.factories import PaymentFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def deliver_together(events: list[dict]) -> list[tuple[int, str]]:
    """Post the signed events at the same instant, one thread (and connection) each."""
    barrier = threading.Barrier(len(events))
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def deliver(event):
        payload = json.dumps(event)
        try:
            client = APIClient()
            barrier.wait(timeout=30)
            response = client.post(
                WEBHOOK_URL,
                data=payload,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=stripe_signature(payload),
            )
            with lock:
                results.append((response.status_code, response.json().get("status")))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(event,)) for event in events]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.parametrize("round_", range(3))
def test_two_checkouts_paid_at_once_grant_the_course_once(
    requires_postgres, settings, student, paid_course, round_
):
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_secret_for_tests_only"
    # A checkout superseded by a newer one (the price changed), and the newer one
    old = PaymentFactory(
        student=student,
        course=paid_course,
        provider=Payment.Provider.STRIPE,
        provider_reference="cs_old",
        status=Payment.Status.FAILED,
    )
    new = PaymentFactory(
        student=student,
        course=paid_course,
        provider=Payment.Provider.STRIPE,
        provider_reference="cs_new",
        amount=Decimal("59.00"),
    )

    results = deliver_together(
        [
            session_event(old, event_id="evt_old", payment_intent="pi_old"),
            session_event(new, event_id="evt_new", payment_intent="pi_new"),
        ]
    )

    assert results == [(200, "processed")] * 2
    payments = {p.pk: p for p in Payment.objects.filter(student=student)}
    assert {p.status for p in payments.values()} == {"succeeded"}
    assert sorted(p.refund_due for p in payments.values()) == [False, True]
    assert Enrollment.objects.filter(student=student, status="active").count() == 1


def probe_locks(seen: list, **filters):
    """A stand-in hook: from another connection, try to lock the rows without waiting."""

    def probe(path):
        try:
            with transaction.atomic():
                rows = Payment.objects.select_for_update(nowait=True).filter(**filters)
                seen.append((path, "free", sorted(rows.values_list("status", flat=True))))
        except DatabaseError:
            seen.append((path, "locked", []))
        finally:
            connection.close()

    return probe


def test_no_payment_row_is_locked_while_stripe_creates_a_checkout(
    requires_postgres, auth_client, student, paid_course, stripe_api
):
    client = auth_client(student)
    assert client.post("/api/v1/payments/checkout/", {"course": paid_course.pk}).status_code == 201
    paid_course.price = Decimal("59.00")
    paid_course.save()
    seen: list = []
    stripe_api.on_request = probe_locks(seen, student=student, course=paid_course)

    response = client.post("/api/v1/payments/checkout/", {"course": paid_course.pk})

    assert response.status_code == 201
    # Both payments were committed and unlocked while Stripe answered, both the expiry
    # of the superseded session and the creation of the new one
    assert seen == [
        ("/v1/checkout/sessions/cs_test_1/expire", "free", ["failed", "pending"]),
        ("/v1/checkout/sessions", "free", ["failed", "pending"]),
    ]


def test_no_payment_row_is_locked_while_stripe_refunds(
    requires_postgres, auth_client, admin, student, paid_course, stripe_api
):
    payment = PaymentFactory(
        student=student,
        course=paid_course,
        provider=Payment.Provider.STRIPE,
        provider_reference="cs_test_abc",
        provider_payment_id="pi_test_1",
        status=Payment.Status.SUCCEEDED,
    )
    seen: list = []
    stripe_api.on_request = probe_locks(seen, pk=payment.pk)

    response = auth_client(admin).post(f"/api/v1/payments/{payment.pk}/refund/")

    assert response.status_code == 200
    assert seen == [("/v1/refunds", "free", ["succeeded"])]
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED
