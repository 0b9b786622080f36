"""The OpenAPI schema tells the truth: schemathesis checks every operation as every role.

Every operation of the served schema, every built-in check (status codes, content types,
headers, response bodies, negative and positive data, missing auth, unsupported methods),
as anonymous, student, instructor and admin, on the demo data set. Slow for `make test`
(marked `schemathesis`, deselected there); `.ci/run` runs it on PostgreSQL.
"""

import ipaddress
import socket
from io import StringIO

import pytest
import requests
import schemathesis
import urllib3.util.connection
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks

from config.wsgi import application
from lms.users.models import User
from lms.users.tokens import token_pair_for

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]

#: The demo account each role calls as (seed_demo's data: its courses, enrollments, quizzes).
ROLE_EMAILS = {
    "student": "maria@example.com",
    "instructor": "ada@example.com",
    "admin": "admin@example.com",
}

_CREDENTIAL = (
    "a schema-valid {} is still one the server never issued: refused with 400, as it must be"
)
_RELATED = (
    "the body names a {} by id: one that does not exist (or the caller may not use) is "
    "refused with 400, and no schema can list which ids exist"
)
#: Checks that cannot hold by nature, per operation, with the reason. Nothing else is
#: skipped: every other (operation, check) must pass for every role.
BY_NATURE: dict[str, dict[str, str]] = {
    "POST /api/v1/users/register/": {
        "positive_data_acceptance": "the password must pass Django's validators (not too "
        "common, not all digits, not like the name) and the address be unused",
    },
    "POST /api/v1/users/password/change/": {
        "positive_data_acceptance": "the old password must be the caller's and the new one "
        "pass Django's password validators",
    },
    "POST /api/v1/users/password/reset/confirm/": {
        "positive_data_acceptance": _CREDENTIAL.format("reset token"),
    },
    "POST /api/v1/users/verify-email/": {
        "positive_data_acceptance": _CREDENTIAL.format("verification key"),
    },
    "POST /api/v1/users/logout/": {"positive_data_acceptance": _CREDENTIAL.format("refresh token")},
    "POST /api/v1/users/google/": {
        "positive_data_acceptance": _CREDENTIAL.format("Google credential"),
    },
    "POST /api/v1/payments/webhook/stripe/": {
        "positive_data_acceptance": _CREDENTIAL.format("body without Stripe's signature"),
    },
    "POST /api/v1/enrollments/": {"positive_data_acceptance": _RELATED.format("course")},
    "POST /api/v1/payments/checkout/": {"positive_data_acceptance": _RELATED.format("course")},
    "POST /api/v1/modules/": {"positive_data_acceptance": _RELATED.format("course")},
    "POST /api/v1/lessons/": {"positive_data_acceptance": _RELATED.format("module")},
    "POST /api/v1/content-items/": {"positive_data_acceptance": _RELATED.format("lesson")},
    "POST /api/v1/quizzes/": {"positive_data_acceptance": _RELATED.format("course or lesson")},
    "POST /api/v1/questions/": {"positive_data_acceptance": _RELATED.format("quiz")},
    "GET /api/v1/coupons/quote/": {
        "positive_data_acceptance": "the code must name an existing coupon that applies to "
        "the course, and the course an existing published one: no schema lists either",
    },
    "POST /api/v1/users/me/erase/": {
        "positive_data_acceptance": "the password must be the caller's (or the id_token "
        "Google's, for the caller's linked account)",
    },
}
_COUPON = (
    "exactly one of percent_off and amount_off (with its currency), a window that ends "
    "after it starts and a code no other coupon uses (whatever its case) are rules across "
    "fields or rows that no schema states; `course` names an existing course by id"
)
for _method in (
    "POST /api/v1/coupons/",
    "PUT /api/v1/coupons/{id}/",
    "PATCH /api/v1/coupons/{id}/",
):
    BY_NATURE[_method] = {"positive_data_acceptance": _COUPON}
_IMAGE = (
    "the `thumbnail` must be a real PNG, JPEG, GIF or WebP image (its bytes are checked) and "
    "`instructor_id` an instructor's id, `prerequisites` ids of courses the caller sees (and "
    "no cycle); none of it is expressible in a schema"
)
for _method in (
    "POST /api/v1/courses/",
    "PUT /api/v1/courses/{id}/",
    "PATCH /api/v1/courses/{id}/",
):
    BY_NATURE[_method] = {"positive_data_acceptance": _IMAGE}

_WEBHOOK_URL = (
    "a webhook `url` is refused unless it is https and its host resolves only to public "
    "addresses (the SSRF guard; Django's URL rules too): no schema can say what a name "
    "resolves to"
)
for _method in (
    "POST /api/v1/webhook-endpoints/",
    "PUT /api/v1/webhook-endpoints/{id}/",
    "PATCH /api/v1/webhook-endpoints/{id}/",
):
    BY_NATURE[_method] = {"positive_data_acceptance": _WEBHOOK_URL}
load_all_checks()
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)

bounded = settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _google_refuses_every_credential(session, method, url, *args, **kwargs):
    """A stand-in for Google's servers: no credential schemathesis invents is valid."""
    response = requests.Response()
    response.status_code, response.url = 400, url
    response.headers["Content-Type"] = "application/json"
    response._content = b'{"error": "invalid_grant"}'
    return response


_getaddrinfo = socket.getaddrinfo


def _no_dns_for_invented_names(host, *args, **kwargs):
    """Outgoing webhooks resolve the hosts schemathesis invents: no such lookup leaves here."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if host != "localhost":
            raise socket.gaierror(socket.EAI_NONAME, "no DNS in the schema check") from None
    return _getaddrinfo(host, *args, **kwargs)


def _no_outgoing_connection(*args, **kwargs):
    """Webhook deliveries to the URLs schemathesis invents are refused before they connect."""
    raise ConnectionRefusedError("no outgoing connections in the schema check")


@pytest.fixture(scope="module")
def demo_users(django_db_setup, django_db_blocker):
    """The demo data set with Google and Stripe configured, rolled back after the module."""
    outside = pytest.MonkeyPatch()
    outside.setattr(requests.Session, "request", _google_refuses_every_credential)
    outside.setattr(socket, "getaddrinfo", _no_dns_for_invented_names)
    outside.setattr(urllib3.util.connection, "create_connection", _no_outgoing_connection)
    configured = override_settings(
        STRIPE_WEBHOOK_SECRET="whsec_schemathesis",
        SOCIALACCOUNT_PROVIDERS={
            "google": {"APPS": [{"client_id": "lms.apps.example", "secret": "s", "key": ""}]}
        },
    )
    # The app answers in this process, inside this transaction: like Django's test client,
    # keep the connection open between requests (Django closes it after each one otherwise).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        with configured, django_db_blocker.unblock(), transaction.atomic():
            call_command("seed_demo", stdout=StringIO())
            yield {role: User.objects.get(email=email) for role, email in ROLE_EMAILS.items()}
            transaction.set_rollback(True)
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
        outside.undo()


def call_as(case, user) -> None:
    headers = {}
    if user is not None:
        headers["Authorization"] = f"Bearer {token_pair_for(user)['access']}"
    by_nature = CHECKS.get_by_names(list(BY_NATURE.get(case.operation.label, {})))
    case.call_and_validate(headers=headers, excluded_checks=by_nature)


@schema.parametrize()
@bounded
def test_as_anonymous(case, demo_users):
    call_as(case, None)


@schema.parametrize()
@bounded
def test_as_student(case, demo_users):
    call_as(case, demo_users["student"])


@schema.parametrize()
@bounded
def test_as_instructor(case, demo_users):
    call_as(case, demo_users["instructor"])


@schema.parametrize()
@bounded
def test_as_admin(case, demo_users):
    call_as(case, demo_users["admin"])
