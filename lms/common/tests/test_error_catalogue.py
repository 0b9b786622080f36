"""Every error code the source raises is in the catalogue, the schema and the guide; a 401
tells "refresh" (`token_not_valid`) from "sign in again" (`session_expired`)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from drf_spectacular.generators import SchemaGenerator

from lms.common.error_codes import ERROR_CODES
from lms.users.tests.factories import DEFAULT_PASSWORD

API = "/api/v1/"
LMS = Path(settings.BASE_DIR) / "lms"
# `code="x"`, `"code": "x"` and a class's `code = "x"`, outside the tests.
RAISED = re.compile(r"""(?:\bcode\s*=\s*|["']code["']\s*:\s*)["']([a-z_]+)["']""")


def _raised_codes() -> set[str]:
    return {
        code
        for path in LMS.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
        for code in RAISED.findall(path.read_text())
    }


def test_every_raised_code_is_catalogued():
    assert _raised_codes() - set(ERROR_CODES) == set()


def test_the_schema_and_the_guide_list_every_code():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    described = schema["components"]["schemas"]["Error"]["properties"]["code"]["description"]
    guide = (Path(settings.BASE_DIR) / "docs" / "frontend-guide.md").read_text()
    for code in ERROR_CODES:
        assert f"`{code}`" in described
        assert f"`{code}`" in guide, f"docs/frontend-guide.md does not list `{code}`"


@pytest.mark.django_db
def test_a_401_says_whether_to_refresh_or_sign_in_again(api_client, student):
    login = api_client.post(
        f"{API}users/login/", {"email": student.email, "password": DEFAULT_PASSWORD}
    )
    refresh = login.json()["refresh"]

    assert api_client.get(f"{API}users/me/").json()["code"] == "not_authenticated"
    stale = api_client.get(f"{API}users/me/", HTTP_AUTHORIZATION="Bearer stale.access.token")
    assert (stale.status_code, stale.json()["code"]) == (401, "token_not_valid")
    rotated = api_client.post(f"{API}token/refresh/", {"refresh": refresh})
    assert rotated.status_code == 200
    spent = api_client.post(f"{API}token/refresh/", {"refresh": refresh})
    assert (spent.status_code, spent.json()["code"]) == (401, "session_expired")
    assert "sign in again" in spent.json()["detail"]
    garbage = api_client.post(f"{API}token/refresh/", {"refresh": "not-a-token"})
    assert (garbage.status_code, garbage.json()["code"]) == (401, "session_expired")
    bad_login = api_client.post(f"{API}users/login/", {"email": student.email, "password": "no"})
    assert (bad_login.status_code, bad_login.json()["code"]) == (401, "no_active_account")
