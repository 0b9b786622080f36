"""Celery tasks of outgoing webhooks: send one delivery, and the sweep of due ones."""

from celery import shared_task

from .services import deliveries_due_ids, delivery_send


@shared_task(acks_late=True, ignore_result=True)
def webhook_deliver(delivery_id: int) -> None:
    """Send one delivery if it is due; safe to run twice (the row says whether it was sent)."""
    delivery_send(delivery_id=delivery_id)


@shared_task(ignore_result=True)
def webhooks_retry_due() -> int:
    """Celery beat's sweep: queue every due delivery (retries, and sends a crash left)."""
    ids = deliveries_due_ids()
    for delivery_id in ids:
        webhook_deliver.delay(delivery_id)
    return len(ids)
