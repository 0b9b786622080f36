"""Background jobs shared by every app."""

import logging
import smtplib

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

logger = logging.getLogger(__name__)

# A mail server that refuses, times out or cannot be reached may accept the email later.
EMAIL_RETRYABLE = (smtplib.SMTPException, OSError)
EMAIL_MAX_RETRIES = 5


def email_send(*, to: list[str], subject: str, body: str, html: str | None = None) -> None:
    """Send one email now through Django's email API (the caller decides about retries)."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
    logger.info("Sent email %r to %s", subject, ", ".join(to))


@shared_task(
    bind=True,
    autoretry_for=EMAIL_RETRYABLE,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=EMAIL_MAX_RETRIES,
)
def send_email(self, *, to: list[str], subject: str, body: str, html: str | None = None) -> None:
    """Send one email from a Celery worker; retried while the server fails."""
    email_send(to=to, subject=subject, body=body, html=html)
