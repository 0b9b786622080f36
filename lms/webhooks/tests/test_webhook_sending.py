"""Events reach endpoints signed, once, after commit; failures are retried with backoff."""

import hashlib
import hmac
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from lms.common import events
from lms.courses.tests.factories import CourseFactory
from lms.webhooks.models import Delivery, WebhookEndpoint
from lms.webhooks.services import MAX_ATTEMPTS, RETRY_DELAYS, delivery_send
from lms.webhooks.tasks import webhooks_retry_due

pytestmark = pytest.mark.django_db


def emit(callbacks, event_type=events.ENROLLMENT_CREATED, data=None):
    with callbacks(execute=True):
        return events.emit(event_type, data or {"enrollment": {"id": 1}})


def due_now(delivery: Delivery) -> None:
    """Let the clock pass to the delivery's next retry."""
    Delivery.objects.filter(pk=delivery.pk).update(
        next_retry_at=timezone.now() - timedelta(seconds=1)
    )


def verify(secret: str, header: str, body: bytes) -> bool:
    """What the README tells a receiver to do."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(expected.hexdigest(), parts["v1"])


def test_an_event_is_posted_signed_with_the_contract_body(
    receiver, endpoint, django_capture_on_commit_callbacks
):
    event = emit(django_capture_on_commit_callbacks)

    assert len(receiver.received) == 1
    request = receiver.received[0]
    assert request["path"] == "/hooks/lms"
    assert request["headers"]["LMS-Event-Id"] == event.id
    assert request["headers"]["Content-Type"] == "application/json"
    assert json.loads(request["body"]) == {
        "id": event.id,
        "type": "enrollment.created",
        "created": int(event.created.timestamp()),
        "data": {"enrollment": {"id": 1}},
    }
    assert verify(endpoint.secret, request["headers"]["LMS-Signature"], request["body"])
    assert not verify("another-secret", request["headers"]["LMS-Signature"], request["body"])
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempt, delivery.status_code, delivery.event_id) == (
        "succeeded",
        1,
        200,
        event.id,
    )
    assert delivery.delivered_at is not None


def test_only_active_endpoints_that_want_the_type_get_it(
    receiver, endpoint, django_capture_on_commit_callbacks
):
    WebhookEndpoint.objects.create(url=receiver.url, events=["payment.refunded"], secret="s")
    WebhookEndpoint.objects.create(url=receiver.url, events=["*"], is_active=False, secret="s")

    emit(django_capture_on_commit_callbacks)

    assert list(Delivery.objects.values_list("endpoint_id", flat=True)) == [endpoint.pk]
    assert len(receiver.received) == 1


def test_a_rolled_back_transaction_sends_nothing(
    receiver, endpoint, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        CourseFactory(price=Decimal("0"))
        events.emit(events.ENROLLMENT_CREATED, {"enrollment": {"id": 1}})
        raise RuntimeError("rolled back")

    assert receiver.received == []
    assert Delivery.objects.count() == 0


def test_a_500_is_retried_after_the_backoff_then_succeeds(
    receiver, endpoint, django_capture_on_commit_callbacks
):
    receiver.script = [500]
    before = timezone.now()
    emit(django_capture_on_commit_callbacks)

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempt, delivery.status_code) == ("retrying", 1, 500)
    assert delivery.next_retry_at >= before + RETRY_DELAYS[0]
    webhooks_retry_due()  # not due yet: nothing sent
    assert len(receiver.received) == 1

    due_now(delivery)
    call_command("webhooks_retry", stdout=open("/dev/null", "w"))  # noqa: SIM115

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempt, delivery.status_code) == ("succeeded", 2, 200)
    assert [a["status_code"] for a in delivery.attempts] == [500, 200]
    assert len(receiver.received) == 2
    first, second = receiver.received
    assert first["headers"]["LMS-Event-Id"] == second["headers"]["LMS-Event-Id"]


def test_redirects_are_not_followed(receiver, endpoint, django_capture_on_commit_callbacks):
    receiver.script = [302]
    emit(django_capture_on_commit_callbacks)

    assert [r["path"] for r in receiver.received] == ["/hooks/lms"]
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.status_code) == ("retrying", 302)


def test_after_the_last_attempt_the_delivery_fails_for_good(
    receiver, endpoint, django_capture_on_commit_callbacks
):
    receiver.script = [503] * MAX_ATTEMPTS
    emit(django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    for _ in range(MAX_ATTEMPTS - 1):
        due_now(delivery)
        webhooks_retry_due()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempt, delivery.next_retry_at) == (
        "failed",
        MAX_ATTEMPTS,
        None,
    )
    assert MAX_ATTEMPTS >= 6
    assert sum(RETRY_DELAYS, timedelta()) >= timedelta(hours=1)
    webhooks_retry_due()
    assert len(receiver.received) == MAX_ATTEMPTS


def test_an_acknowledged_delivery_is_never_sent_again(
    receiver, endpoint, django_capture_on_commit_callbacks
):
    emit(django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()

    # A task retried after a crash, or queued twice, finds the row already acknowledged.
    assert delivery_send(delivery_id=delivery.pk) is None
    due_now(delivery)
    assert delivery_send(delivery_id=delivery.pk) is None
    assert len(receiver.received) == 1


def test_a_crashed_claim_is_picked_up_by_the_sweep(receiver, endpoint):
    delivery = Delivery.objects.create(
        endpoint=endpoint,
        event_id="evt_crashed",
        event_type="user.registered",
        payload={"id": "evt_crashed", "type": "user.registered", "created": 0, "data": {}},
        status=Delivery.Status.SENDING,
        attempt=1,
        claimed_until=timezone.now() - timedelta(seconds=1),
        next_retry_at=timezone.now() - timedelta(minutes=2),
    )
    webhooks_retry_due()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempt) == ("succeeded", 2)


def test_a_private_address_is_refused_at_send_time(
    receiver, endpoint, settings, django_capture_on_commit_callbacks
):
    emit_settings_off = settings
    emit_settings_off.WEBHOOKS_ALLOW_PRIVATE = False  # e.g. a name that now points inside
    emit(django_capture_on_commit_callbacks)

    assert receiver.received == []
    delivery = Delivery.objects.get()
    assert delivery.status == "retrying"
    assert "https" in delivery.error


def test_a_loopback_url_over_https_is_refused_at_send_time(receiver, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    endpoint = WebhookEndpoint.objects.create(
        url="https://localhost:1/hook", events=["*"], secret="s"
    )
    delivery = Delivery.objects.create(
        endpoint=endpoint,
        event_id="evt_x",
        event_type="user.registered",
        payload={"id": "evt_x"},
        next_retry_at=timezone.now(),
    )
    delivery = delivery_send(delivery_id=delivery.pk)
    assert delivery.status == "retrying"
    assert "loopback" in delivery.error


def test_enrolling_through_the_api_reaches_the_endpoint(
    receiver, endpoint, auth_client, student, django_capture_on_commit_callbacks
):
    course = CourseFactory(is_published=True, price=Decimal("0"))
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client(student).post("/api/v1/enrollments/", {"course": course.pk})
    assert response.status_code == 201
    body = json.loads(receiver.received[0]["body"])
    assert body["type"] == "enrollment.created"
    assert body["data"]["enrollment"]["id"] == response.json()["id"]


def test_a_bulk_change_sends_each_event_to_each_endpoint_that_wants_it(
    receiver, endpoint, django_capture_on_commit_callbacks
):
    WebhookEndpoint.objects.create(url=receiver.url, events=["payment.refunded"], secret="s")

    with django_capture_on_commit_callbacks(execute=True):
        batch = events.emit_many(
            events.ENROLLMENT_CREATED, [{"enrollment": {"id": 1}}, {"enrollment": {"id": 2}}]
        )

    sent = Delivery.objects.order_by("id")
    assert [(d.endpoint_id, d.event_id) for d in sent] == [(endpoint.pk, e.id) for e in batch]
    bodies = sorted(
        json.loads(hit["body"])["data"]["enrollment"]["id"] for hit in receiver.received
    )
    assert bodies == [1, 2]
