"""Fixtures for the accounts tests: mail capture and login helpers."""

import re

import pytest
from django.core import mail

from lms.users.tests.factories import DEFAULT_PASSWORD


@pytest.fixture
def send_mail_now(django_capture_on_commit_callbacks):
    """Run a block and deliver the emails it queued on commit; returns the new messages."""

    class Sender:
        def __call__(self, call):
            before = len(mail.outbox)
            with django_capture_on_commit_callbacks(execute=True):
                response = call()
            return response, mail.outbox[before:]

    return Sender()


def login(client, email: str, password: str = DEFAULT_PASSWORD, **extra):
    return client.post("/api/v1/users/login/", {"email": email, "password": password}, **extra)


def link_tail(body: str, prefix: str) -> list[str]:
    """The path segments after `prefix` in the first link of `body` that starts with it."""
    match = re.search(re.escape(prefix) + r"(\S+)", body)
    assert match, f"no link starting with {prefix} in:\n{body}"
    return match.group(1).strip("/").split("/")
