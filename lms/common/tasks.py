"""Background jobs shared by every app."""

import logging
import smtplib
import socket

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    autoretry_for=(smtplib.SMTPException, OSError, socket.timeout),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def send_email(self, *, to: list[str], subject: str, body: str, html: str | None = None) -> None:
    """Send one email through Django's email API; retried while the server fails."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
    logger.info("Sent email %r to %s", subject, ", ".join(to))
