"""The Django admin login is throttled per client IP and per username."""

import pytest
from django.test import Client

from lms.users.tests.factories import DEFAULT_PASSWORD, AdminFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def admin_login(client: Client, username: str, password: str, ip: str = "203.0.113.7"):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip
    )


def is_signed_in(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


def test_twenty_wrong_passwords_lock_the_account_out_even_for_the_right_one(admin):
    # given an attacker guessing an admin's password from many addresses
    attacker = Client()
    for n in range(20):
        admin_login(attacker, admin.email, f"guess-{n}", ip=f"192.0.2.{n}")
    # when the right password finally comes
    response = admin_login(attacker, admin.email, DEFAULT_PASSWORD, ip="192.0.2.200")
    # then it is refused on the admin's login page with 429 and Retry-After
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert b"Too many login attempts" in response.content
    assert not is_signed_in(attacker)


def test_a_locked_answer_is_the_same_for_a_right_and_a_wrong_password(admin, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "admin_login_username": "2/min"}
    for n in range(2):
        assert admin_login(Client(), admin.email, f"guess-{n}").status_code == 200
    # once locked, the right and a wrong password get the same page: no password oracle
    right = admin_login(Client(), admin.email, DEFAULT_PASSWORD)
    wrong = admin_login(Client(), admin.email, "another-guess")
    assert right.status_code == wrong.status_code == 429
    assert errors_on_page(right) == errors_on_page(wrong)
    assert "Too many login attempts" in errors_on_page(right)[0]


def errors_on_page(response) -> list[str]:
    return list(response.context["form"].non_field_errors())


def test_one_address_trying_many_usernames_is_locked_out(admin, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "admin_login_ip": "3/min"}
    for n in range(3):
        assert admin_login(Client(), f"someone{n}@example.com", "guess").status_code == 200
    # the fourth attempt from that address waits, whoever it names
    client = Client()
    assert admin_login(client, admin.email, DEFAULT_PASSWORD).status_code == 429
    assert not is_signed_in(client)
    # another address is not affected
    other = Client()
    response = admin_login(other, admin.email, DEFAULT_PASSWORD, ip="198.51.100.4")
    assert response.status_code == 302
    assert is_signed_in(other)


def test_an_admin_under_the_limit_signs_in(admin):
    client = Client()
    assert admin_login(client, admin.email, "a-typo-in-it").status_code == 200
    assert admin_login(client, admin.email.upper(), DEFAULT_PASSWORD).status_code == 302
    assert is_signed_in(client)
    # and the counter is per username: another admin signs in too
    second = AdminFactory()
    assert admin_login(Client(), second.email, DEFAULT_PASSWORD).status_code == 302
