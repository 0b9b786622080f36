"""Deliveries handed to Celery: each event's, after commit, and a redelivery."""

import logging

from django.db import transaction

from lms.common.events import Event

from .models import Delivery
from .services import deliveries_create_for_event, deliveries_create_for_events, delivery_again
from .tasks import webhook_deliver

logger = logging.getLogger(__name__)


def deliveries_queue(deliveries: list[Delivery]) -> None:
    """One task per delivery; without a broker Celery runs it here and now."""
    for delivery in deliveries:
        try:
            webhook_deliver.delay(delivery.pk)
        except Exception:
            # The row is due now: the sweep (beat or `manage.py webhooks_retry`) sends it.
            logger.exception("Could not queue webhook delivery %s; the sweep will", delivery.pk)


def deliveries_queue_for_event(event: Event) -> list[Delivery]:
    """Domain event listener (after commit): record a delivery per endpoint, then queue them."""
    deliveries = deliveries_create_for_event(event)
    deliveries_queue(deliveries)
    return deliveries


def deliveries_queue_for_events(batch: list[Event]) -> list[Delivery]:
    """The same for a bulk change's events (`events.emit_many`): one INSERT for them all."""
    deliveries = deliveries_create_for_events(batch)
    deliveries_queue(deliveries)
    return deliveries


deliveries_queue_for_event.many = deliveries_queue_for_events


def delivery_redeliver(*, delivery: Delivery) -> Delivery:
    """Send a delivery's event again (as a new delivery), once the transaction commits."""
    with transaction.atomic():
        again = delivery_again(delivery=delivery)
        transaction.on_commit(lambda: deliveries_queue([again]))
    return again
