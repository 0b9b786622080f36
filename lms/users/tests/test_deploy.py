"""Production readiness: Django's deploy checks, and admins from the command line."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from lms.users.models import User

ROOT = Path(__file__).resolve().parents[3]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "TRUSTED_PROXY_COUNT"))
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("proxies", ["0", "1"])
def test_check_deploy_passes_with_production_settings(proxies):
    # given the production environment: debug off, a long random key, real hosts,
    # served directly or behind one TLS-terminating proxy
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="off",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="api.example.com",
        TRUSTED_PROXY_COUNT=proxies,
    )  # fmt: skip
    # then Django's deploy checks find nothing, not even a warning
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


SEES_HTTPS = (
    "from django.test import RequestFactory; "
    "print(RequestFactory().get('/', HTTP_X_FORWARDED_PROTO='https').is_secure())"
)


@pytest.mark.parametrize(("proxies", "secure"), [(None, "False"), ("0", "False"), ("1", "True")])
def test_x_forwarded_proto_counts_only_behind_a_trusted_proxy(proxies, secure):
    # given production settings, with or without a trusted proxy in front
    env = {"TRUSTED_PROXY_COUNT": proxies} if proxies is not None else {}
    result = run_manage(
        "shell", "-c", SEES_HTTPS,
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="off",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        **env,
    )  # fmt: skip
    # then a client's own "X-Forwarded-Proto: https" makes the request https only
    # when a proxy we trust is the one that set it
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == secure


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="config.settings", DJANGO_DEBUG="off")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_createsuperuser_noinput_creates_an_admin(monkeypatch):
    # given the password in the environment, as in a deploy script
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-admin-passphrase-2026")
    # when createsuperuser runs without prompts
    call_command("createsuperuser", "--noinput", "--email", "Root@Example.com", verbosity=0)
    # then the user is an admin, staff and superuser, and can log in with that password
    user = User.objects.get(email="root@example.com")
    assert (user.role, user.is_staff, user.is_superuser) == (User.Role.ADMIN, True, True)
    assert user.check_password("a-long-admin-passphrase-2026")


def test_manage_py_in_a_checkout_without_configuration_runs_with_debug_on():
    # given no secret key and no DJANGO_DEBUG in the environment (a fresh clone)
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEBUG)",
        DJANGO_SETTINGS_MODULE="config.settings",
    )  # fmt: skip
    # then management commands work, in debug mode
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"


def test_the_web_server_entry_point_never_defaults_to_debug():
    # given the same unconfigured environment, the WSGI application refuses to start
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr
