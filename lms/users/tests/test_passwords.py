"""Password change, reset request and reset confirmation."""

import pytest
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from lms.users.tests.conftest import link_tail, login
from lms.users.tests.factories import DEFAULT_PASSWORD, StudentFactory

pytestmark = pytest.mark.django_db

CHANGE = "/api/v1/users/password/change/"
RESET = "/api/v1/users/password/reset/"
CONFIRM = "/api/v1/users/password/reset/confirm/"
REFRESH = "/api/v1/token/refresh/"
NEW_PASSWORD = "violet-harbour-engine-42"


def test_password_change_revokes_every_earlier_refresh_token(api_client, auth_client, student):
    # given a student logged in on two devices
    phone = login(api_client, student.email).json()["refresh"]
    laptop = login(api_client, student.email).json()["refresh"]
    # when they change their password
    response = auth_client(student).post(
        CHANGE, {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
    )
    # then this client gets a fresh pair that works
    assert response.status_code == 200
    assert api_client.post(REFRESH, {"refresh": response.json()["refresh"]}).status_code == 200
    # and the other sessions' refresh tokens stop working
    assert api_client.post(REFRESH, {"refresh": phone}).status_code == 401
    assert api_client.post(REFRESH, {"refresh": laptop}).status_code == 401
    # and only the new password logs in
    assert login(api_client, student.email).status_code == 401
    assert login(api_client, student.email, NEW_PASSWORD).status_code == 200


def test_password_change_with_a_wrong_old_password_is_400(api_client, auth_client, student):
    refresh = login(api_client, student.email).json()["refresh"]
    response = auth_client(student).post(
        CHANGE, {"old_password": "not-my-password", "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 400
    assert "old_password" in response.json()
    assert login(api_client, student.email).status_code == 200
    assert api_client.post(REFRESH, {"refresh": refresh}).status_code == 200


def test_password_change_applies_the_password_rules(auth_client, student):
    response = auth_client(student).post(
        CHANGE, {"old_password": DEFAULT_PASSWORD, "new_password": "12345"}
    )
    assert response.status_code == 400
    assert "new_password" in response.json()


def test_password_change_needs_a_login(api_client):
    response = api_client.post(CHANGE, {"old_password": "x", "new_password": NEW_PASSWORD})
    assert response.status_code == 401


def test_reset_answers_the_same_whether_or_not_the_email_exists(
    api_client, student, send_mail_now, settings
):
    settings.FRONTEND_URL = "https://app.example.test"
    # when someone asks for a reset of a known and of an unknown address
    known, known_mail = send_mail_now(lambda: api_client.post(RESET, {"email": student.email}))
    unknown, unknown_mail = send_mail_now(
        lambda: api_client.post(RESET, {"email": "nobody-here@example.com"})
    )
    # then both answers are identical
    assert known.status_code == unknown.status_code == 200
    assert known.json() == unknown.json()
    # and only the real account gets an email, with a frontend link
    assert unknown_mail == []
    assert len(known_mail) == 1
    assert known_mail[0].to == [student.email]
    assert "https://app.example.test/reset-password/" in known_mail[0].body


def test_reset_link_sets_the_new_password_once(api_client, student, send_mail_now):
    # given a mailed reset link and a session from before
    old_refresh = login(api_client, student.email).json()["refresh"]
    _, sent = send_mail_now(lambda: api_client.post(RESET, {"email": student.email}))
    uid, token = link_tail(sent[0].body, "/reset-password/")
    # when the student confirms with a new password
    response = api_client.post(CONFIRM, {"uid": uid, "token": token, "new_password": NEW_PASSWORD})
    # then the new password works, the old one and the old session do not
    assert response.status_code == 200
    assert login(api_client, student.email, NEW_PASSWORD).status_code == 200
    assert login(api_client, student.email).status_code == 401
    assert api_client.post(REFRESH, {"refresh": old_refresh}).status_code == 401
    # and the link cannot be used again
    again = api_client.post(
        CONFIRM, {"uid": uid, "token": token, "new_password": "x" + NEW_PASSWORD}
    )
    assert again.status_code == 400
    assert "token" in again.json()


@pytest.mark.parametrize(
    ("uid", "token"), [("MQ", "bad-token"), ("!!!", "bad-token"), ("", ""), ("OTk5OTk", "x-y")]
)
def test_reset_confirm_with_a_bad_link_is_400(api_client, student, uid, token):
    response = api_client.post(CONFIRM, {"uid": uid, "token": token, "new_password": NEW_PASSWORD})
    assert response.status_code == 400
    assert login(api_client, student.email).status_code == 200


def test_reset_confirm_applies_the_password_rules(api_client, student, send_mail_now):
    _, sent = send_mail_now(lambda: api_client.post(RESET, {"email": student.email}))
    uid, token = link_tail(sent[0].body, "/reset-password/")
    response = api_client.post(CONFIRM, {"uid": uid, "token": token, "new_password": "abc"})
    assert response.status_code == 400
    assert "new_password" in response.json()
    # the link still works for a good password
    ok = api_client.post(CONFIRM, {"uid": uid, "token": token, "new_password": NEW_PASSWORD})
    assert ok.status_code == 200


def test_no_reset_mail_for_a_deactivated_account(api_client, student, send_mail_now):
    student.is_active = False
    student.save()
    response, sent = send_mail_now(lambda: api_client.post(RESET, {"email": student.email}))
    assert response.status_code == 200
    assert sent == []


def test_a_bad_reset_link_answers_the_link_error_before_judging_the_password(api_client, student):
    # given a stranger who knows the uid of a real account but holds no valid token
    uid = urlsafe_base64_encode(force_bytes(student.pk))
    # when they send a password that the validators would reject as like the account's email
    weak = student.email.split("@")[0]
    response = api_client.post(CONFIRM, {"uid": uid, "token": "forged-token", "new_password": weak})
    # then only the link is judged: nothing about the password, nothing about the account
    assert response.status_code == 400
    assert set(response.json()) == {"token"}


def test_a_wrong_old_password_answers_before_the_new_one_is_judged(auth_client, student):
    # given someone holding the student's access token but not their password
    weak = student.email.split("@")[0]
    response = auth_client(student).post(
        CHANGE, {"old_password": "a-guess-at-it", "new_password": weak}
    )
    # then the answer is about the old password only
    assert response.status_code == 400
    assert set(response.json()) == {"old_password"}


def test_password_change_is_throttled_per_user(api_client, auth_client, student, settings):
    # given someone with the student's access token guessing the current password
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "password_change": "5/min"}
    client = auth_client(student)
    for n in range(5):
        guess = {"old_password": f"guess-number-{n}", "new_password": NEW_PASSWORD}
        assert client.post(CHANGE, guess, REMOTE_ADDR=f"192.0.2.{n}").status_code == 400
    # then the sixth try waits, from any address and even with the right password
    right = {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
    response = client.post(CHANGE, right, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert login(api_client, student.email).status_code == 200
    # while another user is unaffected
    other = StudentFactory()
    other_right = {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
    assert auth_client(other).post(CHANGE, other_right).status_code == 200
