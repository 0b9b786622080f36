"""Concurrent redeliveries of one Stripe event enroll once (PostgreSQL)."""

import json
import threading
from collections import Counter

import pytest
from django.core import mail
from django.db import connection
from rest_framework.test import APIClient

from lms.enrollments.models import Enrollment
from lms.payments.models import Payment, WebhookEvent
from lms.payments.tests.conftest import WEBHOOK_URL, session_event, stripe_signature
from lms.payments.tests.factories import PaymentFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_ten_concurrent_deliveries_enroll_once_and_email_once(
    requires_postgres, settings, paid_course, mailoutbox
):
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_secret_for_tests_only"
    payment = PaymentFactory(
        course=paid_course, provider=Payment.Provider.STRIPE, provider_reference="cs_test_abc"
    )
    payload = json.dumps(session_event(payment))
    barrier = threading.Barrier(10)
    results: list[str] = []
    lock = threading.Lock()

    def deliver():
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
                results.append(f"{response.status_code} {response.json().get('status')}")
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert Counter(results) == Counter({"200 processed": 1, "200 duplicate": 9})
    assert Enrollment.objects.filter(student=payment.student).count() == 1
    assert WebhookEvent.objects.count() == 1
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    receipts = [m for m in mail.outbox if m.subject.startswith("Receipt")]
    assert len(receipts) == 1
    assert len(mail.outbox) == 2
