"""Domain events: what happened, told to every listener once the transaction commits.

Services call `emit(type, data)` where the change happens; nothing is told if the
transaction rolls back. Listeners (in-app notifications, outgoing webhooks, ...) live in
the apps above and register in their `AppConfig.ready()`:

    events.subscribers.register("webhooks", webhook_events_queue)

A listener gets an `Event` (and, if it has a `many` attribute, a bulk change's events
at once through it: `emit_many`) and must not raise; if it does, the error is logged and the
other listeners still run. Listeners run in the process that made the change, after
commit: anything slow (HTTP, mail) belongs in a Celery task they queue.
"""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone

from .registry import Registry

logger = logging.getLogger(__name__)

USER_REGISTERED = "user.registered"
ENROLLMENT_CREATED = "enrollment.created"
ENROLLMENT_COMPLETED = "enrollment.completed"
ENROLLMENT_CANCELLED = "enrollment.cancelled"
CERTIFICATE_ISSUED = "certificate.issued"
PAYMENT_SUCCEEDED = "payment.succeeded"
PAYMENT_REFUNDED = "payment.refunded"
SUBMISSION_GRADED = "submission.graded"

#: Every event type, in the order the API contract lists them.
EVENT_TYPES = (
    USER_REGISTERED,
    ENROLLMENT_CREATED,
    ENROLLMENT_COMPLETED,
    ENROLLMENT_CANCELLED,
    CERTIFICATE_ISSUED,
    PAYMENT_SUCCEEDED,
    PAYMENT_REFUNDED,
    SUBMISSION_GRADED,
)

#: Listeners: hook(event: Event) -> None, called after commit.
subscribers = Registry("domain event listeners")


@dataclass(frozen=True)
class Event:
    """One thing that happened: `data` is JSON-ready and names rows by id."""

    type: str
    data: dict
    id: str = field(default_factory=lambda: f"evt_{uuid.uuid4().hex}")
    created: datetime = field(default_factory=timezone.now)

    def as_json(self) -> dict:
        """The event as sent to the outside (`{id, type, created, data}`)."""
        return {
            "id": self.id,
            "type": self.type,
            "created": int(self.created.timestamp()),
            "data": self.data,
        }


def emit(event_type: str, data: dict) -> Event:
    """Announce `event_type` to every listener once the current transaction commits."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"Unknown event type {event_type!r}")
    event = Event(type=event_type, data=data)
    transaction.on_commit(partial(_tell_listeners, event))
    return event


def emit_many(event_type: str, datas: list[dict]) -> list[Event]:
    """`emit` for many rows changed at once (a bulk job's batch): listeners hear them
    together, through their `many(events)` attribute where they have one."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"Unknown event type {event_type!r}")
    batch = [Event(type=event_type, data=data) for data in datas]
    if batch:
        transaction.on_commit(partial(_tell_listeners_many, batch))
    return batch


def _tell_listeners_many(batch: list[Event]) -> None:
    for name, listener in subscribers.items():
        many = getattr(listener, "many", None)
        if many is not None:
            _tell(name, many, batch)
        else:
            for event in batch:
                _tell(name, listener, event)


def _tell_listeners(event: Event) -> None:
    for name, listener in subscribers.items():
        _tell(name, listener, event)


def _tell(name: str, listener: Callable, told: Event | list[Event]) -> None:
    try:
        listener(told)
    except Exception:
        # One broken listener must not cost the others their event, nor fail the request.
        first = told[0] if isinstance(told, list) else told
        logger.exception("Event listener %s failed on %s %s", name, first.type, first.id)


def iso(moment: datetime | None) -> str | None:
    """A timestamp as event data carries it."""
    return moment.isoformat() if moment is not None else None
