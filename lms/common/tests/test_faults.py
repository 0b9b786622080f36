"""Outside services failing mid-run: Redis stops, SMTP refuses, the database drops us."""

import logging
import os
import shutil
import subprocess
import time

import psycopg
import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from lms.common.email import outbox
from lms.courses.tests.factories import CourseFactory
from lms.users.tests.factories import DEFAULT_PASSWORD
from lms.users.tests.test_email_delivery import Inbox

from .loopback import free_port


@pytest.fixture
def services():
    """Skip, with the reason, unless running against PostgreSQL with Redis (as .ci/run does)."""
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        pytest.skip("fault tests need PostgreSQL and Redis (DATABASE_URL, REDIS_URL: .ci/run)")
    if not shutil.which("redis-server"):
        pytest.skip("fault tests start their own redis-server, which is not installed")


class ThrowawayRedis:
    """A redis-server of this test's own on a free loopback port (never the shared one)."""

    def __init__(self):
        self.port = free_port()

    def start(self):
        subprocess.run(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "yes"],
            check=True, capture_output=True,
        )  # fmt: skip
        self._wait(up=True)

    def stop(self):
        subprocess.run(
            ["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True
        )
        self._wait(up=False)

    def _wait(self, *, up: bool):
        for _ in range(100):
            ping = subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
            )
            if (ping.stdout.strip() == "PONG") == up:
                return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server on port {self.port} did not {'start' if up else 'stop'}")


@pytest.fixture
def redis_server(services, settings):
    server = ThrowawayRedis()
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "lms.common.cache.TolerantRedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
            "KEY_PREFIX": "faults",
        }
    }
    yield server
    server.stop()


def _login(api_client, email, password):
    return api_client.post("/api/v1/users/login/", {"email": email, "password": password})


@pytest.mark.services
@pytest.mark.django_db
def test_stopping_redis_mid_run_degrades_cache_and_throttles_never_the_api(
    api_client, redis_server, settings, student, caplog
):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "auth_email": "3/min"}
    CourseFactory(title="Still listed")
    # given Redis up: three wrong passwords use up the address's login budget
    for _ in range(3):
        assert _login(api_client, student.email, "wrong").status_code == 401
    assert _login(api_client, student.email, DEFAULT_PASSWORD).status_code == 429
    # when Redis stops
    redis_server.stop()
    caplog.set_level(logging.WARNING, logger="lms.common.cache")
    # then the API keeps answering: login (throttle not enforced), the catalog, readiness
    assert _login(api_client, student.email, DEFAULT_PASSWORD).status_code == 200
    catalog = api_client.get("/api/v1/courses/")
    assert catalog.status_code == 200
    assert [c["title"] for c in catalog.json()["results"]] == ["Still listed"]
    ready = api_client.get("/readyz")
    assert (ready.status_code, ready.json()["status"], ready.json()["cache"]) == (
        200,
        "degraded",
        "unavailable",
    )
    assert api_client.get("/healthz").status_code == 200
    # and the operator reads why in the log
    assert any("Cache unreachable" in r.getMessage() for r in caplog.records)
    # when Redis is back, throttles count again without a restart
    redis_server.start()
    assert api_client.get("/readyz").json()["status"] == "ok"
    for _ in range(3):
        assert _login(api_client, student.email, "wrong").status_code == 401
    assert _login(api_client, student.email, DEFAULT_PASSWORD).status_code == 429


# Transactional, so the email is queued when the request commits, as in production.
@pytest.mark.django_db(transaction=True)
def test_mail_refused_while_smtp_is_down_arrives_once_it_is_back(api_client, settings, student):
    # given SMTP down: nothing listens on its port
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 0.3
    # when a student asks for a password reset
    started = time.monotonic()
    response = api_client.post("/api/v1/users/password/reset/", {"email": student.email})
    # then the request succeeds at once
    assert response.status_code == 200
    assert time.monotonic() - started < 2
    # and once SMTP is back, the retried email arrives, exactly once
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert outbox.wait(timeout=30)
    finally:
        controller.stop()
    assert len(inbox.bodies) == 1
    assert "reset-password" in inbox.bodies[0]


def _terminate_backends(database: str) -> None:
    params = connection.settings_dict
    with psycopg.connect(
        host=params["HOST"], port=params["PORT"], user=params["USER"],
        password=params["PASSWORD"], dbname="postgres", autocommit=True,
    ) as admin:  # fmt: skip
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        )


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_readyz_answers_503_while_the_database_drops_us_then_recovers(services, api_client, caplog):
    assert api_client.get("/readyz").status_code == 200
    # when the database server ends every connection of ours (a restart, a failover)
    _terminate_backends(connection.settings_dict["NAME"])
    caplog.set_level(logging.ERROR)
    # then an API request on the dropped connection is a JSON 503 to retry, not a 500
    catalog = api_client.get("/api/v1/courses/")
    assert catalog.status_code == 503
    assert catalog["Retry-After"] == "5"
    assert catalog.json()["detail"].startswith("The database is not reachable")
    # and readiness says so in JSON, liveness does not
    ready = api_client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "database": "unavailable", "cache": "ok"}
    assert any("database unreachable" in r.getMessage() for r in caplog.records)
    assert api_client.get("/healthz").status_code == 200
    # and the next probe reconnects, without a restart
    ready = api_client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["database"] == "ok"
    assert api_client.get("/api/v1/courses/").status_code == 200
