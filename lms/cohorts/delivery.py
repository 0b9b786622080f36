"""Announcement emails: sent in batches, each recipient marked once sent.

A delivery sends to the recipients not yet handled, over one SMTP connection per batch,
and marks those it sent (one UPDATE per batch) even when the server fails halfway: the
retry starts after the last one sent, so nobody gets the announcement twice.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import timezone

from lms.common.email import email_send_with_retries, outbox

from .models import Announcement, AnnouncementRecipient

logger = logging.getLogger(__name__)

#: Emails per SMTP connection and per "handled" UPDATE.
BATCH_SIZE = 200


def _message(announcement: Announcement, recipient: AnnouncementRecipient, connection):
    context = {
        "announcement": announcement,
        "course": announcement.course,
        "student": recipient.user,
        "frontend_url": settings.FRONTEND_URL,
    }
    subject = render_to_string("cohorts/email/announcement_subject.txt", context).strip()
    body = render_to_string("cohorts/email/announcement_body.txt", context)
    return EmailMessage(
        subject=" ".join(subject.splitlines()),
        body=body,
        to=[recipient.user.email],
        connection=connection,
    )


def _pending(announcement_id: int) -> list[AnnouncementRecipient]:
    return list(
        AnnouncementRecipient.objects.filter(
            announcement_id=announcement_id, handled_at__isnull=True
        )
        .select_related("user")
        .order_by("pk")[:BATCH_SIZE]
    )


def _send_batch(announcement: Announcement, batch: list[AnnouncementRecipient]) -> int:
    handled: list[int] = []
    sent = 0
    connection = get_connection()
    try:
        for recipient in batch:
            user = recipient.user
            # Turned emails off (or was deactivated) since the announcement: skipped, done.
            if user.is_active and user.email_notifications:
                _message(announcement, recipient, connection).send()
                sent += 1
            handled.append(recipient.pk)
    finally:
        connection.close()
        AnnouncementRecipient.objects.filter(pk__in=handled).update(handled_at=timezone.now())
    return sent


def announcement_emails_deliver(*, announcement_id: int) -> int:
    """Email the announcement to every recipient not yet handled; how many were sent.

    Raises what the mail server raised, after marking the ones sent before it failed.
    """
    announcement = Announcement.objects.select_related("course").filter(pk=announcement_id).first()
    if announcement is None:  # deleted before its emails left: nothing to say any more
        return 0
    sent = 0
    while batch := _pending(announcement_id):
        sent += _send_batch(announcement, batch)
    if sent:
        logger.info("Emailed announcement %s to %d students", announcement_id, sent)
    return sent


def _email_dicts(announcement: Announcement, batch: list[AnnouncementRecipient]) -> list[dict]:
    messages = []
    for recipient in batch:
        if recipient.user.is_active and recipient.user.email_notifications:
            message = _message(announcement, recipient, connection=None)
            messages.append({"to": message.to, "subject": message.subject, "body": message.body})
    return messages


def _send_each(messages: list[dict]) -> None:
    for message in messages:
        email_send_with_retries(message)


def announcement_emails_hand_over(*, announcement_id: int) -> int:
    """Without a broker: hand the emails to this process's outbox threads, batch by batch.

    Each batch is marked handled as it is handed over (the outbox retries each email
    itself and never sends one twice); the database is read here, not in the threads.
    """
    announcement = Announcement.objects.select_related("course").filter(pk=announcement_id).first()
    if announcement is None:
        return 0
    queued = 0
    while batch := _pending(announcement_id):
        messages = _email_dicts(announcement, batch)
        AnnouncementRecipient.objects.filter(pk__in=[r.pk for r in batch]).update(
            handled_at=timezone.now()
        )
        if messages:
            outbox.run(_send_each, messages)
        queued += len(messages)
    return queued
