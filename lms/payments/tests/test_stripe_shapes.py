"""Signed Stripe events of unexpected shapes: acknowledged or refused, never a 500."""

import json

import pytest

from lms.enrollments.selectors import is_enrolled
from lms.payments.models import Payment, WebhookEvent
from lms.payments.tests.conftest import (
    WEBHOOK_URL,
    charge_refunded_event,
    session_event,
    stripe_signature,
)
from lms.payments.tests.factories import PaymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stripe_payment(student, paid_course):
    return PaymentFactory(
        student=student,
        course=paid_course,
        provider=Payment.Provider.STRIPE,
        provider_reference="cs_test_abc",
    )


def outcome(payment) -> str:
    payment.refresh_from_db()
    if payment.status == Payment.Status.SUCCEEDED:
        enrolled = is_enrolled(payment.student, payment.course_id)
        assert enrolled != payment.refund_due  # enrolled, or the money is owed back
        return "refund due" if payment.refund_due else "enrolled"
    return payment.status


@pytest.mark.parametrize(
    ("over", "expected"),
    [
        # The payment is still found by `client_reference_id`
        ({"metadata": []}, "enrolled"),
        ({"metadata": ["payment_id", "1"]}, "enrolled"),
        ({"metadata": "payment_id=1"}, "enrolled"),
        ({"metadata": None}, "enrolled"),
        ({"metadata": {"payment_id": ["1"]}}, "enrolled"),
        ({"payment_intent": {"id": "pi_expanded", "object": "payment_intent"}}, "enrolled"),
        ({"payment_intent": ["pi_test_1"]}, "enrolled"),
        # Our id in a shape no payment has: nothing to attach the event to (logged)
        ({"metadata": {"payment_id": {"id": 1}}, "client_reference_id": None}, "pending"),
        ({"metadata": {}, "client_reference_id": "²"}, "pending"),
        ({"metadata": {}, "client_reference_id": "9" * 30}, "pending"),
        ({"metadata": {}, "client_reference_id": "-1"}, "pending"),
        # Found, but Stripe's figures are not ours: the money is owed back
        ({"amount_total": "4900"}, "refund due"),
        ({"amount_total": None}, "refund due"),
        ({"amount_total": 4900.0}, "refund due"),
        ({"currency": 5}, "refund due"),
        ({"id": {"nested": {"id": "cs_test_abc"}}}, "refund due"),
        ({"id": "x" * 10_000}, "refund due"),
        # Not reported as paid: nothing is taken yet
        ({"payment_status": ["paid"]}, "pending"),
        ({"payment_status": None}, "pending"),
    ],
)
def test_odd_sessions_are_acknowledged_and_end_in_a_clear_state(
    post_stripe_event, stripe_payment, over, expected
):
    event = session_event(stripe_payment)
    event["data"]["object"].update(over)

    response = post_stripe_event(event)

    assert (response.status_code, response.json()) == (200, {"status": "processed"})
    assert outcome(stripe_payment) == expected


def test_an_expanded_payment_intent_is_kept_for_the_refund(post_stripe_event, stripe_payment):
    event = session_event(stripe_payment, payment_intent={"id": "pi_expanded"})

    post_stripe_event(event)

    stripe_payment.refresh_from_db()
    assert stripe_payment.provider_payment_id == "pi_expanded"


@pytest.mark.parametrize(
    ("over", "expected"),
    [
        ({"refunded": "true"}, "enrolled"),  # not a full refund as Stripe says it
        ({"refunded": None}, "enrolled"),
        ({"metadata": "x", "payment_intent": {"id": "pi_test_1"}}, "refunded"),
        ({"metadata": [], "payment_intent": "pi_test_1"}, "refunded"),
        ({"metadata": None, "payment_intent": ["pi_test_1"]}, "enrolled"),  # found by nothing
    ],
)
def test_odd_refund_events_are_acknowledged(post_stripe_event, stripe_payment, over, expected):
    post_stripe_event(session_event(stripe_payment))
    stripe_payment.refresh_from_db()

    response = post_stripe_event(charge_refunded_event(stripe_payment, **over))

    assert response.status_code == 200
    assert outcome(stripe_payment) == expected


def signed_post(api_client, body: str):
    return api_client.post(
        WEBHOOK_URL,
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=stripe_signature(body),
    )


ENVELOPES = {
    "id a number": {"id": 5, "type": "customer.created", "data": {"object": {}}},
    "id empty": {"id": "", "type": "customer.created", "data": {"object": {}}},
    "id too long": {"id": "e" * 256, "type": "customer.created", "data": {"object": {}}},
    "type too long": {"id": "evt_1", "type": "t" * 101, "data": {"object": {}}},
    "type an object": {"id": "evt_1", "type": {"a": 1}, "data": {"object": {}}},
    "data a list": {"id": "evt_1", "type": "checkout.session.completed", "data": []},
    "object a list": {"id": "evt_1", "type": "checkout.session.completed", "data": {"object": []}},
    "object missing": {"id": "evt_1", "type": "charge.refunded", "data": {}},
}


@pytest.mark.parametrize("name", ENVELOPES)
def test_signed_bodies_that_are_not_events_are_400(api_client, settings, name):
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_secret_for_tests_only"

    response = signed_post(api_client, json.dumps(ENVELOPES[name]))

    assert response.status_code == 400
    assert response.json() == {"detail": "Invalid payload.", "code": "invalid_payload"}
    assert not WebhookEvent.objects.exists()


@pytest.mark.parametrize(
    "body", ["[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000]
)
def test_a_signed_deeply_nested_body_is_400(api_client, settings, body):
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_secret_for_tests_only"

    assert signed_post(api_client, body).status_code == 400
    assert not WebhookEvent.objects.exists()


def test_an_unknown_type_with_an_odd_object_is_acknowledged(post_stripe_event):
    event = {"id": "evt_x", "type": "invoice.paid", "data": {"object": {"metadata": [1, 2]}}}

    response = post_stripe_event(event)

    assert (response.status_code, response.json()) == (200, {"status": "ignored"})
