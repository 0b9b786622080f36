"""Email verification by mailed key, and resending the key."""

import pytest
from allauth.account.models import EmailAddress

from lms.users.tests.conftest import link_tail, login
from lms.users.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

VERIFY = "/api/v1/users/verify-email/"
RESEND = "/api/v1/users/verify-email/resend/"
REGISTER = "/api/v1/users/register/"


def register(api_client, send_mail_now, email="kim@example.com"):
    data = {"email": email, "password": "plum-orchard-ladder-71", "first_name": "Kim",
            "last_name": "Lee"}  # fmt: skip
    response, sent = send_mail_now(lambda: api_client.post(REGISTER, data))
    assert response.status_code == 201
    return sent


def test_the_mailed_key_verifies_the_address_once(api_client, send_mail_now, settings):
    # given mandatory verification and a fresh registration
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    sent = register(api_client, send_mail_now)
    (key,) = link_tail(sent[0].body, "/verify-email/")
    assert login(api_client, "kim@example.com", "plum-orchard-ladder-71").status_code == 403
    # when the key is posted
    response = api_client.post(VERIFY, {"key": key})
    # then the address is verified and login works
    assert response.status_code == 200
    assert EmailAddress.objects.get(email="kim@example.com").verified is True
    assert login(api_client, "kim@example.com", "plum-orchard-ladder-71").status_code == 200
    # and the key cannot be used again
    assert api_client.post(VERIFY, {"key": key}).status_code == 400


@pytest.mark.parametrize("key", ["nonsense", "MQ:1tV6Jm:abc", ""])
def test_a_bad_key_is_400(api_client, key):
    response = api_client.post(VERIFY, {"key": key})
    assert response.status_code == 400
    assert response.json()


def test_resend_mails_a_new_link_only_to_unverified_accounts(api_client, send_mail_now):
    register(api_client, send_mail_now)
    # when the new user asks for another link
    response, sent = send_mail_now(lambda: api_client.post(RESEND, {"email": "KIM@example.com"}))
    # then a new working link arrives
    assert response.status_code == 200
    assert len(sent) == 1
    (key,) = link_tail(sent[0].body, "/verify-email/")
    assert api_client.post(VERIFY, {"key": key}).status_code == 200
    # and once verified, asking again answers the same but sends nothing
    again, sent_again = send_mail_now(lambda: api_client.post(RESEND, {"email": "kim@example.com"}))
    assert again.status_code == 200
    assert again.json() == response.json()
    assert sent_again == []


def test_resend_answers_the_same_for_unknown_addresses(api_client, send_mail_now):
    response, sent = send_mail_now(lambda: api_client.post(RESEND, {"email": "ghost@example.com"}))
    assert response.status_code == 200
    assert sent == []


def test_resend_covers_accounts_created_without_an_address_record(api_client, send_mail_now):
    # given a user made by an admin (no allauth address record yet)
    user = StudentFactory()
    _, sent = send_mail_now(lambda: api_client.post(RESEND, {"email": user.email}))
    (key,) = link_tail(sent[0].body, "/verify-email/")
    assert api_client.post(VERIFY, {"key": key}).status_code == 200
    assert EmailAddress.objects.get(user=user).verified is True
