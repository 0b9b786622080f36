"""Login, token claims, refresh rotation, verify and logout."""

import base64
import json

import jwt
import pytest
from django.conf import settings
from rest_framework.test import APIClient

from lms.users.services import user_change_role, user_set_active
from lms.users.tests.conftest import login
from lms.users.tests.factories import DEFAULT_PASSWORD, StudentFactory, verify_email_of

pytestmark = pytest.mark.django_db

REFRESH = "/api/v1/token/refresh/"
VERIFY = "/api/v1/token/verify/"
ME = "/api/v1/users/me/"


def bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def claims(token: str) -> dict:
    return jwt.decode(token, settings.SIMPLE_JWT["SIGNING_KEY"], algorithms=["HS256"])


def test_login_answers_tokens_with_role_claims_and_the_user(api_client, instructor):
    # when an instructor logs in (email in any case)
    response = login(api_client, instructor.email.upper())
    # then they get both tokens and their user object
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"access", "refresh", "user"}
    assert data["user"]["id"] == instructor.id
    assert data["user"]["role"] == "instructor"
    # and the access token names them, their email and their role, signed with HS256
    access = claims(data["access"])
    assert (access["user_id"], access["email"], access["role"]) == (
        instructor.id,
        instructor.email,
        "instructor",
    )
    assert jwt.get_unverified_header(data["access"])["alg"] == "HS256"
    # and it opens their profile
    assert bearer(data["access"]).get(ME).json()["email"] == instructor.email


@pytest.mark.parametrize(
    ("email", "password"),
    [("user-that-does-not-exist@example.com", DEFAULT_PASSWORD), (None, "wrong-password-123")],
)
def test_login_with_bad_credentials_is_401_json(api_client, student, email, password):
    response = login(api_client, email or student.email, password)
    assert response.status_code == 401
    assert "detail" in response.json()
    assert "access" not in response.json()


def test_login_without_fields_is_400(api_client):
    response = api_client.post("/api/v1/users/login/", {})
    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


def test_deactivated_user_cannot_log_in(api_client, student):
    student.is_active = False
    student.save()
    assert login(api_client, student.email).status_code == 401


def test_mandatory_verification_gives_unverified_users_no_tokens(api_client, student, settings):
    # given mandatory email verification and a user who has not verified
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    # when they log in with the right password
    response = login(api_client, student.email)
    # then they get a JSON error telling them to verify, and no tokens
    assert response.status_code == 403
    assert "verify" in response.json()["detail"].lower()
    assert "access" not in response.json()
    # and once verified they can log in
    verify_email_of(student)
    assert login(api_client, student.email).status_code == 200


def test_refresh_rotates_and_a_used_refresh_token_is_401(api_client, student):
    # given a logged-in student
    first = login(api_client, student.email).json()["refresh"]
    # when they refresh
    response = api_client.post(REFRESH, {"refresh": first})
    # then they get a new pair carrying fresh claims
    assert response.status_code == 200
    pair = response.json()
    assert set(pair) == {"access", "refresh"}
    assert pair["refresh"] != first
    assert claims(pair["access"])["role"] == "student"
    # and the old refresh token no longer works, the new one does
    reused = api_client.post(REFRESH, {"refresh": first})
    assert reused.status_code == 401
    assert "detail" in reused.json()
    assert api_client.post(REFRESH, {"refresh": pair["refresh"]}).status_code == 200


def test_refresh_picks_up_a_role_change(api_client, student, admin):
    refresh = login(api_client, student.email).json()["refresh"]
    user_change_role(user=student, role="instructor", acting_user=admin)
    access = api_client.post(REFRESH, {"refresh": refresh}).json()["access"]
    assert claims(access)["role"] == "instructor"


def test_deactivated_users_refresh_and_access_tokens_stop_working(api_client, student, admin):
    tokens = login(api_client, student.email).json()
    # when an admin deactivates the student
    user_set_active(user=student, is_active=False, acting_user=admin)
    # then neither token works any more
    assert api_client.post(REFRESH, {"refresh": tokens["refresh"]}).status_code == 401
    assert bearer(tokens["access"]).get(ME).status_code == 401


@pytest.mark.parametrize(("junk", "status"), [("", 400), ("not-a-token", 401), ("a.b.c", 401)])
def test_refresh_with_junk_is_an_error_not_a_500(api_client, junk, status):
    # A blank field is bad input (400); a string that is no valid token, a bad credential (401)
    response = api_client.post(REFRESH, {"refresh": junk})
    assert response.status_code == status
    assert response.json()


def test_verify_accepts_live_tokens_and_refuses_others_with_401(api_client, student):
    tokens = login(api_client, student.email).json()
    assert api_client.post(VERIFY, {"token": tokens["access"]}).status_code == 200
    assert api_client.post(VERIFY, {"token": tokens["refresh"]}).status_code == 200
    assert api_client.post(VERIFY, {"token": "garbage"}).status_code == 401
    # a spent refresh token is no longer valid
    api_client.post(REFRESH, {"refresh": tokens["refresh"]})
    assert api_client.post(VERIFY, {"token": tokens["refresh"]}).status_code == 401


def _unsigned(payload: dict) -> str:
    def part(obj):
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(payload)}."


def test_alg_none_tokens_are_rejected(api_client, admin):
    # given a forged, unsigned token claiming to be the admin
    real = claims(login(api_client, admin.email).json()["access"])
    forged = _unsigned(real)
    # then the API refuses it
    assert bearer(forged).get(ME).status_code == 401
    assert api_client.post(VERIFY, {"token": forged}).status_code == 401


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_a_token_signed_with_another_key_or_algorithm_is_rejected(api_client, student):
    payload = claims(login(api_client, student.email).json()["access"])
    assert (
        bearer(jwt.encode(payload, "another-secret-key-0123456789abcdef", "HS256"))
        .get(ME)
        .status_code
        == 401
    )
    hs512 = jwt.encode(payload, settings.SIMPLE_JWT["SIGNING_KEY"], "HS512")
    assert bearer(hs512).get(ME).status_code == 401


def test_a_refresh_token_is_not_an_access_token(api_client, student):
    refresh = login(api_client, student.email).json()["refresh"]
    response = bearer(refresh).get(ME)
    assert response.status_code == 401


def test_logout_blacklists_the_refresh_token(api_client, student):
    tokens = login(api_client, student.email).json()
    client = bearer(tokens["access"])
    # when the student logs out
    response = client.post("/api/v1/users/logout/", {"refresh": tokens["refresh"]})
    # then that refresh token no longer works
    assert response.status_code == 200
    assert api_client.post(REFRESH, {"refresh": tokens["refresh"]}).status_code == 401


def test_logout_needs_authentication_and_a_valid_own_token(api_client, student):
    tokens = login(api_client, student.email).json()
    assert (
        api_client.post("/api/v1/users/logout/", {"refresh": tokens["refresh"]}).status_code == 401
    )
    client = bearer(tokens["access"])
    assert client.post("/api/v1/users/logout/", {"refresh": "junk"}).status_code == 400
    other = StudentFactory()
    others_refresh = login(api_client, other.email).json()["refresh"]
    assert client.post("/api/v1/users/logout/", {"refresh": others_refresh}).status_code == 400
    assert api_client.post(REFRESH, {"refresh": others_refresh}).status_code == 200
