"""Background jobs of the cohorts app: announcement emails, queued after commit."""

import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction

from lms.common.tasks import EMAIL_MAX_RETRIES, EMAIL_RETRYABLE

from .delivery import announcement_emails_deliver, announcement_emails_hand_over

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=EMAIL_RETRYABLE,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=EMAIL_MAX_RETRIES,
)
def announcement_emails_send(*, announcement_id: int) -> int:
    """Email an announcement from a Celery worker; a retry skips the recipients already sent."""
    return announcement_emails_deliver(announcement_id=announcement_id)


def _dispatch(announcement_id: int) -> None:
    # Without a broker, Celery would run the task inline and the request would wait on SMTP.
    if settings.CELERY_TASK_ALWAYS_EAGER:
        announcement_emails_hand_over(announcement_id=announcement_id)
        return
    try:
        announcement_emails_send.delay(announcement_id=announcement_id)
    except Exception as exc:  # whatever the broker did, the emails must not be lost
        logger.warning(
            "Broker unreachable; emailing announcement %s from this process: %s",
            announcement_id, exc,
        )  # fmt: skip
        announcement_emails_hand_over(announcement_id=announcement_id)


def announcement_emails_queue(*, announcement_id: int) -> None:
    """Email the announcement in the background once the current transaction commits."""
    transaction.on_commit(lambda: _dispatch(announcement_id))
