"""Fixtures shared by every test: API clients and one user per role."""

from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from lms.common import events
from lms.common.email import outbox
from lms.users.tests.factories import AdminFactory, InstructorFactory, StudentFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttle counters and cached values never leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _emails_sent_within_their_test():
    """Emails sent from background threads land in the outbox of the test that queued them."""
    yield
    assert outbox.wait(timeout=60), "queued emails were still being sent after 60 s"


@pytest.fixture
def django_capture_on_commit_callbacks(django_capture_on_commit_callbacks):
    """pytest-django's; with `execute=True` it also waits until the queued emails were sent."""

    @contextmanager
    def capture(**kwargs):
        with django_capture_on_commit_callbacks(**kwargs) as callbacks:
            yield callbacks
        if kwargs.get("execute"):
            assert outbox.wait(timeout=60), "queued emails were still being sent after 60 s"

    return capture


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded and generated files go to a throwaway folder, never the project's media/."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def client_for(user) -> APIClient:
    """An API client that sends a fresh access token for `user`."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


@pytest.fixture
def auth_client():
    return client_for


@pytest.fixture
def student(db):
    return StudentFactory()


@pytest.fixture
def instructor(db):
    return InstructorFactory()


@pytest.fixture
def admin(db):
    return AdminFactory()


@pytest.fixture
def requires_postgres():
    """Skip, with a visible reason, tests that need PostgreSQL's locking semantics."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); SQLite serialises all writers")


@pytest.fixture
def assert_constant_queries():
    """Assert that `call()` runs as many queries after `grow()` as before it."""

    def check(call, grow):
        call()  # warm: cached rows (the token's user) are warm under load, and in both counts
        with CaptureQueriesContext(connection) as small:
            call()
        grow()
        with CaptureQueriesContext(connection) as large:
            call()
        assert len(large) == len(small), (
            f"query count grew from {len(small)} to {len(large)}:\n"
            + "\n".join(q["sql"] for q in large.captured_queries)
        )
        return len(small)

    return check


@pytest.fixture
def events_heard():
    """The domain events told to listeners (after commit) while the test runs, in order."""
    heard: list[events.Event] = []
    events.subscribers.register("test-listener", heard.append)
    yield heard
    events.subscribers.unregister("test-listener")
