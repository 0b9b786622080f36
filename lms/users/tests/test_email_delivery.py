"""Account emails through a real SMTP conversation on loopback: failing, slow, refusing."""

import asyncio
import email
import logging
import socket
import time

import pytest
from allauth.account.models import EmailAddress

from config.celery import app as celery_app
from lms.common.email import outbox
from lms.common.tests.loopback import free_port, smtp_serve
from lms.users.models import User
from lms.users.tests.conftest import link_tail, login

pytestmark = pytest.mark.django_db

PASSWORD = "plum-orchard-ladder-71"
NEW_PASSWORD = "violet-harbour-engine-42"


class Inbox:
    """An aiosmtpd handler that keeps the bodies it receives; it can refuse or dawdle."""

    def __init__(self, refuse_first: int = 0, delay: float = 0):
        self.bodies: list[str] = []
        self.attempts = 0
        self.refuse_first = refuse_first
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        await asyncio.sleep(self.delay)
        if self.attempts <= self.refuse_first:
            return "451 Try again later"
        message = email.message_from_bytes(envelope.original_content)
        self.bodies.append(message.get_payload(decode=True).decode())
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    servers = []

    def start(refuse_first: int = 0, delay: float = 0) -> Inbox:
        inbox = Inbox(refuse_first, delay)
        controller = smtp_serve(settings, inbox)
        servers.append(controller)
        return inbox

    yield start
    for controller in servers:
        controller.stop()


def register(api_client, send_mail_now):
    body = {"email": "li@example.com", "password": PASSWORD, "first_name": "Li", "last_name": "Wei"}
    response, _ = send_mail_now(lambda: api_client.post("/api/v1/users/register/", body))
    return response


def test_register_then_verify_through_a_real_smtp_server(api_client, smtp_server, send_mail_now):
    # given a real SMTP server on loopback
    inbox = smtp_server()
    # when a visitor registers
    assert register(api_client, send_mail_now).status_code == 201
    # then the server received the verification email with the link
    assert len(inbox.bodies) == 1
    (key,) = link_tail(inbox.bodies[0], "/verify-email/")
    # and posting the key verifies the address
    assert api_client.post("/api/v1/users/verify-email/", {"key": key}).status_code == 200
    assert EmailAddress.objects.get(email="li@example.com").verified is True


def test_reset_through_a_real_smtp_server(api_client, smtp_server, send_mail_now, student):
    inbox = smtp_server()
    response, _ = send_mail_now(
        lambda: api_client.post("/api/v1/users/password/reset/", {"email": student.email})
    )
    assert response.status_code == 200
    uid, token = link_tail(inbox.bodies[0], "/reset-password/")
    body = {"uid": uid, "token": token, "new_password": NEW_PASSWORD}
    confirm = "/api/v1/users/password/reset/confirm/"
    assert api_client.post(confirm, body).status_code == 200
    assert login(api_client, student.email, NEW_PASSWORD).status_code == 200
    assert api_client.post(confirm, {**body, "new_password": "x" + NEW_PASSWORD}).status_code == 400


def test_a_dead_smtp_server_does_not_fail_register_or_reset(api_client, settings, send_mail_now):
    # given email pointing at a closed loopback port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_TIMEOUT = 2
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 0.01
    # then registering and asking for a reset still succeed
    assert register(api_client, send_mail_now).status_code == 201
    assert User.objects.filter(email="li@example.com").exists()
    response, _ = send_mail_now(
        lambda: api_client.post("/api/v1/users/password/reset/", {"email": "li@example.com"})
    )
    assert response.status_code == 200


def test_the_email_task_retries_until_the_server_accepts(api_client, smtp_server, send_mail_now):
    # given a server that answers "try again later" twice
    inbox = smtp_server(refuse_first=2)
    # when a visitor registers
    assert register(api_client, send_mail_now).status_code == 201
    # then the task tried again and the email arrived on the third attempt
    assert inbox.attempts == 3
    assert len(inbox.bodies) == 1


def timed_reset(api_client, address: str):
    started = time.monotonic()
    response = api_client.post("/api/v1/users/password/reset/", {"email": address})
    return response, time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_a_reset_answers_at_once_while_the_mail_server_is_slow(api_client, smtp_server, student):
    # given a mail server that takes 3 seconds over every message (the transaction really
    # commits here, so the email leaves exactly as in production without a broker)
    inbox = smtp_server(delay=3)
    # when someone asks for a reset of a known and of an unknown address
    known, known_seconds = timed_reset(api_client, student.email)
    unknown, unknown_seconds = timed_reset(api_client, "nobody-here@example.com")
    # then both answer at once, so the time tells nothing about the address
    assert known.status_code == unknown.status_code == 200
    assert known_seconds < 1.5, f"the reset waited {known_seconds:.1f} s on the mail server"
    assert abs(known_seconds - unknown_seconds) < 1
    # and the mail still arrives, once
    assert outbox.wait(timeout=30)
    assert len(inbox.bodies) == 1
    assert "/reset-password/" in inbox.bodies[0]


def test_an_email_the_server_never_accepts_is_retried_then_logged(
    api_client, smtp_server, send_mail_now, student, caplog
):
    # given a mail server that refuses every attempt
    inbox = smtp_server(refuse_first=100)
    # when a reset is asked for, the request still succeeds
    with caplog.at_level(logging.WARNING, logger="lms.common.email"):
        response, _ = send_mail_now(
            lambda: api_client.post("/api/v1/users/password/reset/", {"email": student.email})
        )
    assert response.status_code == 200
    # then the email was tried six times and the loss is logged as an error, with whom it was for
    assert inbox.attempts == 6
    given_up = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(given_up) == 1
    assert student.email in given_up[0].getMessage()


@pytest.fixture
def unreachable_broker(settings):
    """Celery configured with a broker on a closed loopback port, as when Redis is down."""
    saved = {name: celery_app.conf[name] for name in ("task_always_eager", "broker_url")}
    # A bound port that never listens refuses connections, and no other server can take it.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        broker_url = f"redis://127.0.0.1:{closed.getsockname()[1]}/0"
        settings.CELERY_TASK_ALWAYS_EAGER = False
        celery_app.conf.update(task_always_eager=False, broker_url=broker_url)
        _forget_celery_connections()
        yield
    celery_app.conf.update(saved)
    _forget_celery_connections()


def _forget_celery_connections():
    # Celery caches its broker connection and producers on first use (eager tasks too),
    # so a changed broker_url only counts once both caches are dropped.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_with_the_broker_down_the_email_still_leaves(
    api_client, smtp_server, send_mail_now, student, unreachable_broker, caplog
):
    inbox = smtp_server()
    # when a reset is asked for while the broker cannot be reached
    with caplog.at_level(logging.WARNING, logger="lms.common.email"):
        response, _ = send_mail_now(
            lambda: api_client.post("/api/v1/users/password/reset/", {"email": student.email})
        )
    # then the request succeeds, the email is sent from the web process, and that is logged
    assert response.status_code == 200
    assert len(inbox.bodies) == 1
    assert "/reset-password/" in inbox.bodies[0]
    assert any("Broker unreachable" in r.getMessage() for r in caplog.records)
