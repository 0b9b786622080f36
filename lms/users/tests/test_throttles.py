"""Auth throttles: per client IP (a school NAT fits) and per submitted email."""

import pytest

from lms.users.tests.conftest import login
from lms.users.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

NAT = {"REMOTE_ADDR": "203.0.113.7"}


def test_sixty_classmates_behind_one_nat_log_in_and_the_61st_request_waits(api_client):
    # given a class of 61 students behind one school IP
    students = StudentFactory.create_batch(61)
    # when 60 of them log in within a minute, all succeed
    for student in students[:60]:
        assert login(api_client, student.email, **NAT).status_code == 200
    # then the 61st login from that IP is throttled with a JSON 429 and Retry-After
    response = login(api_client, students[60].email, **NAT)
    assert response.status_code == 429
    assert "detail" in response.json()
    assert int(response["Retry-After"]) > 0
    # while another IP is unaffected
    assert login(api_client, students[60].email, REMOTE_ADDR="198.51.100.1").status_code == 200


def test_five_attempts_per_email_per_minute_even_from_many_ips(api_client, student):
    for attempt in range(5):
        ip = f"192.0.2.{attempt}"
        assert login(api_client, student.email, "wrong-password", REMOTE_ADDR=ip).status_code == 401
    # the sixth attempt, from yet another IP and even with the right password, waits
    response = login(api_client, student.email.upper(), REMOTE_ADDR="192.0.2.99")
    assert response.status_code == 429
    assert response.has_header("Retry-After")
    # another account is not affected
    other = StudentFactory()
    assert login(api_client, other.email, REMOTE_ADDR="192.0.2.99").status_code == 200


def test_a_spoofed_forwarded_for_header_does_not_reset_the_ip_count(api_client, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "auth_ip": "3/min"}
    users = StudentFactory.create_batch(4)
    for n, user in enumerate(users[:3]):
        assert (
            login(api_client, user.email, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}", **NAT).status_code
            == 200
        )
    response = login(api_client, users[3].email, HTTP_X_FORWARDED_FOR="10.9.9.9", **NAT)
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_client_ip_counts(api_client, settings):
    # given one trusted proxy in front (it appends the real client address)
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "auth_ip": "3/min"}
    users = StudentFactory.create_batch(5)
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for user in users[:3]:
        assert (
            login(api_client, user.email, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy).status_code
            == 200
        )
    # then the same client is throttled, a different client behind the proxy is not
    assert (
        login(api_client, users[3].email, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy).status_code
        == 429
    )
    assert (
        login(api_client, users[4].email, HTTP_X_FORWARDED_FOR="198.51.100.4", **proxy).status_code
        == 200
    )


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/users/register/", {"email": "x"}),
        ("/api/v1/users/password/reset/", {"email": "nobody@example.com"}),
        ("/api/v1/users/verify-email/", {"key": "nope"}),
        ("/api/v1/users/verify-email/resend/", {"email": "nobody@example.com"}),
        ("/api/v1/users/password/reset/confirm/", {"uid": "x", "token": "y", "new_password": "z"}),
    ],
)
def test_each_public_auth_endpoint_is_throttled_per_ip(api_client, settings, url, body):
    settings.THROTTLE_RATES = {"auth_ip": "3/min", "auth_email": "100/min"}
    for _ in range(3):
        assert api_client.post(url, body, **NAT).status_code != 429
    response = api_client.post(url, body, **NAT)
    assert response.status_code == 429
    assert response.has_header("Retry-After")
    # each endpoint counts on its own: login still works from that IP
    user = StudentFactory()
    assert login(api_client, user.email, **NAT).status_code == 200


def test_password_reset_is_throttled_per_email(api_client, student):
    for n in range(5):
        response = api_client.post(
            "/api/v1/users/password/reset/", {"email": student.email}, REMOTE_ADDR=f"192.0.2.{n}"
        )
        assert response.status_code == 200
    response = api_client.post(
        "/api/v1/users/password/reset/", {"email": student.email}, REMOTE_ADDR="192.0.2.50"
    )
    assert response.status_code == 429
