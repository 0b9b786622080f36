"""Webhook endpoints (audited admin changes) and their deliveries: queue, send once, retry."""

import logging
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from lms.audit.services import audit_changes, audit_record
from lms.common.events import Event

from .addresses import webhook_url_check
from .models import Delivery, WebhookEndpoint
from .sending import Outcome, event_post

logger = logging.getLogger(__name__)

#: Waits after attempt 1, 2, ... before the next one: 7 attempts over about 4 hours.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(minutes=30),
    timedelta(hours=1),
    timedelta(hours=2),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
#: How long a worker holds a delivery it is sending (the 5 s timeout, and room to record).
CLAIM = timedelta(seconds=60)
ENDPOINT_FIELDS = ("url", "events", "is_active", "description")


def _secret_new() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


def _fields(endpoint: WebhookEndpoint) -> dict:
    return {name: getattr(endpoint, name) for name in ENDPOINT_FIELDS}


# --- endpoints ------------------------------------------------------------------------


def webhook_endpoint_create(
    *,
    url: str,
    events: list[str],
    is_active: bool = True,
    description: str = "",
    acting_user,
    ip: str | None = None,
) -> WebhookEndpoint:
    """Register an endpoint (its URL checked by the SSRF guard) with a new secret."""
    webhook_url_check(url)
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            url=url,
            events=events,
            is_active=is_active,
            description=description,
            secret=_secret_new(),
        )
        audit_record(
            actor=acting_user,
            action="webhook_endpoint.created",
            target=endpoint,
            changes=audit_changes({}, _fields(endpoint)),
            ip=ip,
        )
    return endpoint


def webhook_endpoint_update(
    *, endpoint: WebhookEndpoint, data: dict, acting_user, ip: str | None = None
) -> WebhookEndpoint:
    """Change an endpoint's URL (checked again), events, status or description."""
    if "url" in data:
        webhook_url_check(data["url"])
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        before = _fields(endpoint)
        for name in ENDPOINT_FIELDS:
            if name in data:
                setattr(endpoint, name, data[name])
        changes = audit_changes(before, _fields(endpoint))
        if changes:
            endpoint.save()
            audit_record(
                actor=acting_user,
                action="webhook_endpoint.updated",
                target=endpoint,
                changes=changes,
                ip=ip,
            )
    return endpoint


def webhook_endpoint_delete(
    *, endpoint: WebhookEndpoint, acting_user, ip: str | None = None
) -> None:
    """Remove an endpoint and its delivery log; nothing more is sent to it."""
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        endpoint_id, before = endpoint.pk, _fields(endpoint)
        endpoint.delete()
        audit_record(
            actor=acting_user,
            action="webhook_endpoint.deleted",
            target=endpoint,
            target_id=endpoint_id,
            changes={name: [value, None] for name, value in before.items()},
            ip=ip,
        )


def webhook_endpoint_rotate_secret(
    *, endpoint: WebhookEndpoint, acting_user, ip: str | None = None
) -> WebhookEndpoint:
    """Give an endpoint a new secret; every later attempt (retries too) is signed with it."""
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        endpoint.secret = _secret_new()
        endpoint.save(update_fields=["secret", "updated_at"])
        # The secret itself is never written to the log.
        audit_record(
            actor=acting_user, action="webhook_endpoint.secret_rotated", target=endpoint, ip=ip
        )
    return endpoint


# --- deliveries -----------------------------------------------------------------------


def deliveries_create_for_event(event: Event) -> list[Delivery]:
    """One delivery, due now, per active endpoint that wants this event's type."""
    return deliveries_create_for_events([event])


def deliveries_create_for_events(batch: list[Event]) -> list[Delivery]:
    """`deliveries_create_for_event` for many events: one endpoint query, one INSERT."""
    endpoints = list(WebhookEndpoint.objects.filter(is_active=True).only("id", "events"))
    now = timezone.now()
    deliveries = [
        Delivery(
            endpoint=endpoint,
            event_id=event.id,
            event_type=event.type,
            payload=event.as_json(),
            next_retry_at=now,
        )
        for event in batch
        for endpoint in endpoints
        if endpoint.listens_to(event.type)
    ]
    return Delivery.objects.bulk_create(deliveries) if deliveries else []


def delivery_again(*, delivery: Delivery) -> Delivery:
    """A new delivery (same event id, its own log), due now, of an earlier one's event."""
    return Delivery.objects.create(
        endpoint_id=delivery.endpoint_id,
        event_id=delivery.event_id,
        event_type=delivery.event_type,
        payload=delivery.payload,
        next_retry_at=timezone.now(),
    )


def _claim(delivery_id: int) -> Delivery | None:
    """Mark a due delivery as being sent by this worker, or None if it is not to be sent.

    On PostgreSQL the row lock (SKIP LOCKED) lets one worker in; the claim it writes
    keeps every other worker out until it expires, so no lock is held while sending.
    """
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or not delivery.endpoint.is_active:
            return None
        if delivery.status in (Delivery.Status.SUCCEEDED, Delivery.Status.FAILED):
            return None  # acknowledged, or given up on: never sent again
        if delivery.status == Delivery.Status.SENDING and delivery.claimed_until > now:
            return None  # another worker is sending it right now
        if delivery.status != Delivery.Status.SENDING and delivery.next_retry_at > now:
            return None  # not due yet (a task run early, or twice)
        delivery.status = Delivery.Status.SENDING
        delivery.attempt += 1
        delivery.claimed_until = now + CLAIM
        delivery.save(update_fields=["status", "attempt", "claimed_until", "updated_at"])
    return delivery


def _record(delivery: Delivery, outcome: Outcome) -> Delivery:
    now = timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.status == Delivery.Status.SUCCEEDED:
            return delivery  # a worker whose claim had expired already got through
        delivery.status_code = outcome.status_code
        delivery.response_excerpt = outcome.excerpt
        delivery.error = outcome.error
        delivery.claimed_until = None
        delivery.attempts = [
            *delivery.attempts,
            {
                "attempt": delivery.attempt,
                "at": now.isoformat(),
                "status_code": outcome.status_code,
                "error": outcome.error,
            },
        ]
        if outcome.acknowledged:
            delivery.status, delivery.delivered_at, delivery.next_retry_at = (
                Delivery.Status.SUCCEEDED,
                now,
                None,
            )
        elif delivery.attempt >= MAX_ATTEMPTS:
            delivery.status, delivery.next_retry_at = Delivery.Status.FAILED, None
        else:
            delivery.status = Delivery.Status.RETRYING
            delivery.next_retry_at = now + RETRY_DELAYS[delivery.attempt - 1]
        delivery.save()
    return delivery


def delivery_send(*, delivery_id: int) -> Delivery | None:
    """Send one due delivery once and record the answer; None if it was not to be sent."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    endpoint = delivery.endpoint
    outcome = event_post(url=endpoint.url, secret=endpoint.secret, payload=delivery.payload)
    delivery = _record(delivery, outcome)
    logger.info(
        "Webhook %s %s to endpoint %s: attempt %s, %s",
        delivery.event_type, delivery.event_id, endpoint.pk, delivery.attempt,
        outcome.status_code or outcome.error,
    )  # fmt: skip
    return delivery


def deliveries_due_ids(*, limit: int = 500) -> list[int]:
    """Deliveries to send now: due first sends and retries, and claims left by a crash."""
    now = timezone.now()
    waiting = Delivery.objects.filter(
        status__in=[Delivery.Status.PENDING, Delivery.Status.RETRYING], next_retry_at__lte=now
    )
    abandoned = Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_until__lte=now)
    due = (waiting | abandoned).filter(endpoint__is_active=True)
    return list(due.order_by("next_retry_at", "id").values_list("id", flat=True)[:limit])
