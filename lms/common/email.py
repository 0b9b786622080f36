"""Queue emails after the transaction commits; no request ever waits on the mail server."""

import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from kombu.exceptions import OperationalError

from .tasks import EMAIL_MAX_RETRIES, EMAIL_RETRYABLE, email_send, send_email

logger = logging.getLogger(__name__)


def email_queue(*, to: str | list[str], subject: str, body: str, html: str | None = None) -> None:
    """Send an email in the background once the current transaction has committed."""
    message = {
        "to": [to] if isinstance(to, str) else list(to),
        "subject": subject,
        "body": body,
        "html": html,
    }
    transaction.on_commit(lambda: _email_dispatch(message))


def email_queue_template(*, to: str | list[str], template: str, context: dict) -> None:
    """Render `<template>_subject.txt` and `<template>_body.txt` and queue the email."""
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    body = render_to_string(f"{template}_body.txt", context)
    email_queue(to=to, subject=" ".join(subject.splitlines()), body=body)


def _email_dispatch(message: dict) -> None:
    # Without a broker Celery would run the task inline, making the request wait on SMTP
    # (a timing oracle on password resets, and a slow server would hold every worker).
    if settings.CELERY_TASK_ALWAYS_EAGER:
        outbox.submit(message)
        return
    try:
        send_email.delay(**message)
    except Exception as exc:  # whatever the broker did, the email must not be lost
        level = logging.WARNING if isinstance(exc, (OperationalError, OSError)) else logging.ERROR
        logger.log(
            level, "Broker unreachable; sending email %r from this process: %s",
            message["subject"], exc,
        )  # fmt: skip
        outbox.submit(message)


def email_send_with_retries(message: dict) -> None:
    """Send one email now, retrying with backoff while the server fails (then log the loss)."""
    attempts = EMAIL_MAX_RETRIES + 1
    for attempt in range(1, attempts + 1):
        try:
            email_send(**message)
            return
        except EMAIL_RETRYABLE as exc:
            if attempt == attempts:
                logger.error(
                    "Gave up sending email %r to %s after %d attempts: %s",
                    message["subject"], ", ".join(message["to"]), attempts, exc,
                )  # fmt: skip
                return
            delay = settings.EMAIL_RETRY_BACKOFF_SECONDS * 2 ** (attempt - 1)
            logger.warning(
                "Sending email %r to %s failed (attempt %d of %d): %s; retrying in %ss",
                message["subject"], ", ".join(message["to"]), attempt, attempts, exc, delay,
            )  # fmt: skip
            time.sleep(delay)
        except Exception:
            logger.exception("Email %r to %s cannot be sent", message["subject"], message["to"])
            return


class InProcessOutbox:
    """Background threads of this process that send emails, retrying with backoff."""

    def __init__(self, threads: int = 2):
        self._threads = threads
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None
        self._pid: int | None = None
        self._pending: set[Future] = set()

    def submit(self, message: dict) -> None:
        self.run(email_send_with_retries, message)

    def run(self, job: Callable[..., None], *args) -> None:
        """Run `job(*args)` on these threads (a batch of emails that handles its own retries)."""
        with self._lock:
            # A forked server process inherits the object but not the threads: start anew.
            if self._executor is None or self._pid != os.getpid():
                self._executor = ThreadPoolExecutor(self._threads, thread_name_prefix="email")
                self._pid, self._pending = os.getpid(), set()
            future = self._executor.submit(job, *args)
            self._pending.add(future)
        future.add_done_callback(self._forget)

    def _forget(self, future: Future) -> None:
        with self._lock:
            self._pending.discard(future)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every queued email was sent or given up on; False on timeout."""
        with self._lock:
            pending = list(self._pending)
        return not futures_wait(pending, timeout=timeout).not_done


outbox = InProcessOutbox()
