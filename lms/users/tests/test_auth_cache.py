"""The token's user row comes from the cache, and revocation still ends old tokens at once."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.users.authentication import _key
from lms.users.tests.conftest import login
from lms.users.tests.factories import DEFAULT_PASSWORD, AdminFactory
from lms.users.tests.test_tokens import bearer

pytestmark = pytest.mark.django_db

ME = "/api/v1/users/me/"
NEW_PASSWORD = "violet-harbour-engine-42"


def warm(access: str) -> None:
    assert bearer(access).get(ME).status_code == 200


def test_a_known_token_costs_no_query(api_client, student):
    access = login(api_client, student.email).json()["access"]
    warm(access)

    with CaptureQueriesContext(connection) as queries:
        response = bearer(access).get(ME)

    assert response.status_code == 200
    assert response.json()["email"] == student.email
    assert len(queries) == 0


def test_the_cache_never_holds_the_password_hash(api_client, student):
    warm(login(api_client, student.email).json()["access"])

    cached = cache.get(_key(student.pk))

    assert cached["email"] == student.email
    assert "password" not in cached


def test_a_password_change_ends_a_cached_token_at_once(api_client, student):
    old = login(api_client, student.email).json()["access"]
    warm(old)

    changed = bearer(old).post(
        "/api/v1/users/password/change/",
        {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD},
    )

    assert changed.status_code == 200  # the password is checked against the database row
    assert bearer(old).get(ME).status_code == 401
    assert bearer(changed.json()["access"]).get(ME).status_code == 200


def test_deactivation_ends_a_cached_token_at_once(api_client, auth_client, admin, student):
    old = login(api_client, student.email).json()["access"]
    warm(old)

    response = auth_client(admin).patch(f"/api/v1/users/{student.id}/", {"is_active": False})

    assert response.status_code == 200
    assert bearer(old).get(ME).status_code == 401


def test_a_role_change_ends_a_cached_token_at_once(api_client, auth_client, admin):
    other = AdminFactory()
    old = login(api_client, other.email).json()["access"]
    warm(old)

    response = auth_client(admin).patch(f"/api/v1/users/{other.id}/", {"role": "instructor"})

    assert response.status_code == 200
    refused = bearer(old).get(ME)
    assert refused.status_code == 401
    assert refused.json()["code"] == "token_not_valid"


def test_a_profile_change_is_seen_by_the_next_request(api_client, student):
    access = login(api_client, student.email).json()["access"]
    warm(access)

    bearer(access).patch(ME, {"first_name": "Changed"})

    assert bearer(access).get(ME).json()["first_name"] == "Changed"
