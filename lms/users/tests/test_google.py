"""Google login with locally generated keys; only the fetch of Google's certificates is faked."""

import datetime as dt
import time

import jwt
import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.google.views import CERTS_URL
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from lms.users.models import User
from lms.users.tests.factories import StudentFactory, verify_email_of

pytestmark = pytest.mark.django_db

URL = "/api/v1/users/google/"
CLIENT_ID = "lms-test.apps.googleusercontent.com"
KID = "test-key-1"


def _key_and_cert():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "google-test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem, cert.public_bytes(serialization.Encoding.PEM).decode()


GOOGLE_KEY, GOOGLE_CERT = _key_and_cert()
STRANGER_KEY, _ = _key_and_cert()


class FakeResponse:
    def __init__(self, payload, status=200):
        self._payload, self.status_code = payload, status
        self.ok = status < 400
        self.headers = {"content-type": "application/json"}

    def json(self):
        return self._payload

    def raise_for_status(self):
        if not self.ok:
            raise requests.HTTPError(str(self.status_code))


@pytest.fixture
def google(settings, monkeypatch):
    """Google configured with our client id; its certificate endpoint serves our test key."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "google": {"APPS": [{"client_id": CLIENT_ID, "secret": "s3cret", "key": ""}]}
    }
    calls = []

    def fake_request(self, method, url, *args, **kwargs):
        calls.append(url)
        if url == CERTS_URL:
            return FakeResponse({KID: GOOGLE_CERT})
        raise AssertionError(f"the test tried to reach {url}")

    monkeypatch.setattr(requests.Session, "request", fake_request)
    return calls


def id_token(key=GOOGLE_KEY, kid=KID, **overrides):
    now = int(time.time())
    claims = {
        "iss": "https://accounts.google.com",
        "aud": CLIENT_ID,
        "sub": "1234567890",
        "email": "grace@gmail.com",
        "email_verified": True,
        "given_name": "Grace",
        "family_name": "Hopper",
        "iat": now,
        "exp": now + 3600,
    }
    claims.update(overrides)
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


def test_a_new_google_user_becomes_a_verified_student(api_client, google, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    # when someone signs in with a valid Google ID token
    response = api_client.post(URL, {"id_token": id_token()})
    # then they get tokens and a student account with a verified address
    assert response.status_code == 200, response.json()
    data = response.json()
    assert set(data) == {"access", "refresh", "user"}
    assert data["user"]["email"] == "grace@gmail.com"
    assert data["user"]["role"] == "student"
    assert data["user"]["first_name"] == "Grace"
    user = User.objects.get(email="grace@gmail.com")
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    assert google == [CERTS_URL]
    # and signing in again reuses the same account
    again = api_client.post(URL, {"id_token": id_token()})
    assert again.json()["user"]["id"] == user.id
    assert SocialAccount.objects.filter(user=user).count() == 1


def test_google_login_tokens_work_on_the_api(api_client, google):
    access = api_client.post(URL, {"id_token": id_token()}).json()["access"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    assert api_client.get("/api/v1/users/me/").json()["email"] == "grace@gmail.com"


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(
            lambda: id_token(aud="someone-else.apps.googleusercontent.com"), id="wrong-aud"
        ),
        pytest.param(lambda: id_token(exp=int(time.time()) - 60), id="expired"),
        pytest.param(lambda: id_token(key=STRANGER_KEY, kid="unknown-kid"), id="unknown-key"),
        pytest.param(lambda: id_token(key=STRANGER_KEY), id="known-kid-wrong-key"),
        pytest.param(lambda: id_token(iss="https://evil.example.com"), id="wrong-issuer"),
        pytest.param(
            lambda: jwt.encode({"sub": "1", "aud": CLIENT_ID}, "x" * 32, algorithm="HS256"),
            id="hs256",
        ),
        pytest.param(lambda: "not-a-jwt", id="garbage"),
    ],
)
def test_bad_id_tokens_are_400_and_create_nobody(api_client, google, token):
    response = api_client.post(URL, {"id_token": token()})
    assert response.status_code == 400
    assert response.json()
    assert not User.objects.exists()


def test_an_unsigned_id_token_is_400(api_client, google):
    unsigned = jwt.encode({"sub": "1", "aud": CLIENT_ID}, None, algorithm="none")
    assert api_client.post(URL, {"id_token": unsigned}).status_code == 400


def test_an_unverified_google_email_is_refused(api_client, google):
    response = api_client.post(URL, {"id_token": id_token(email_verified=False)})
    assert response.status_code == 400
    assert not User.objects.exists()


def test_google_links_to_an_existing_verified_account(api_client, google, instructor):
    verify_email_of(instructor)
    response = api_client.post(URL, {"id_token": id_token(email=instructor.email)})
    assert response.status_code == 200
    assert response.json()["user"] == {**response.json()["user"], "id": instructor.id,
                                       "role": "instructor"}  # fmt: skip


def test_google_does_not_take_over_an_unverified_account(api_client, google):
    # given someone registered grace@gmail.com with a password but never verified it
    squatter = StudentFactory(email="grace@gmail.com")
    # then Grace's Google login does not hand her (or them) that account
    response = api_client.post(URL, {"id_token": id_token()})
    assert response.status_code == 400
    assert not SocialAccount.objects.filter(user=squatter).exists()


def test_a_deactivated_google_user_gets_401(api_client, google):
    user_id = api_client.post(URL, {"id_token": id_token()}).json()["user"]["id"]
    User.objects.filter(pk=user_id).update(is_active=False)
    assert api_client.post(URL, {"id_token": id_token()}).status_code == 401


def test_google_needs_some_credential(api_client, google):
    assert api_client.post(URL, {}).status_code == 400


def test_unconfigured_google_is_a_clear_503(api_client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"google": {"APPS": []}}
    response = api_client.post(URL, {"id_token": id_token()})
    assert response.status_code == 503
    assert "GOOGLE_CLIENT_ID" in response.json()["detail"]


def test_access_token_must_be_issued_to_our_client(api_client, google, monkeypatch):
    profile = {"id": "42", "email": "ada@gmail.com", "verified_email": True,
               "given_name": "Ada", "family_name": "L"}  # fmt: skip

    def serve(audience):
        def fake_request(self, method, url, *args, **kwargs):
            if url.startswith("https://oauth2.googleapis.com/tokeninfo"):
                return FakeResponse({"aud": audience, "sub": "42"})
            if url.startswith("https://www.googleapis.com/oauth2/v2/userinfo"):
                return FakeResponse(profile)
            raise AssertionError(url)

        monkeypatch.setattr(requests.Session, "request", fake_request)

    # a token Google issued to another app is refused
    serve("another-app.apps.googleusercontent.com")
    assert api_client.post(URL, {"access_token": "ya29.x"}).status_code == 400
    # one issued to us logs in
    serve(CLIENT_ID)
    response = api_client.post(URL, {"access_token": "ya29.x"})
    assert response.status_code == 200
    assert response.json()["user"]["email"] == "ada@gmail.com"


def test_code_is_exchanged_and_its_id_token_verified(api_client, google, monkeypatch):
    def fake_request(self, method, url, *args, **kwargs):
        if url == "https://oauth2.googleapis.com/token":
            assert kwargs["data"]["client_secret"] == "s3cret"
            return FakeResponse({"access_token": "ya29.x", "id_token": id_token()})
        if url == CERTS_URL:
            return FakeResponse({KID: GOOGLE_CERT})
        raise AssertionError(url)

    monkeypatch.setattr(requests.Session, "request", fake_request)
    response = api_client.post(URL, {"code": "4/abc"})
    assert response.status_code == 200, response.json()
    assert response.json()["user"]["email"] == "grace@gmail.com"
