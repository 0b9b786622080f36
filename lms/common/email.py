"""Queue emails so they leave only after the surrounding transaction commits."""

from django.db import transaction
from django.template.loader import render_to_string

from .tasks import send_email


def email_queue(*, to: str | list[str], subject: str, body: str, html: str | None = None) -> None:
    """Send an email in the background once the current transaction has committed."""
    recipients = [to] if isinstance(to, str) else list(to)
    transaction.on_commit(
        lambda: send_email.delay(to=recipients, subject=subject, body=body, html=html)
    )


def email_queue_template(*, to: str | list[str], template: str, context: dict) -> None:
    """Render `<template>_subject.txt` and `<template>_body.txt` and queue the email."""
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    body = render_to_string(f"{template}_body.txt", context)
    email_queue(to=to, subject=" ".join(subject.splitlines()), body=body)
