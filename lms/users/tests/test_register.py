"""Registration: students only, password rules, a verification email."""

import pytest
from allauth.account.models import EmailAddress

from lms.users.models import User

pytestmark = pytest.mark.django_db

URL = "/api/v1/users/register/"


def body(**overrides):
    data = {
        "email": "New.Student@Example.com",
        "password": "plum-orchard-ladder-71",
        "first_name": "Nia",
        "last_name": "Okafor",
    }
    data.update(overrides)
    return data


def test_register_creates_a_student_and_mails_a_verification_link(
    api_client, send_mail_now, settings
):
    # given a visitor
    settings.FRONTEND_URL = "https://app.example.test"
    # when they register with a cohort
    response, sent = send_mail_now(lambda: api_client.post(URL, body(cohort="2026-spring")))
    # then they get a student user object without secrets
    assert response.status_code == 201, response.json()
    data = response.json()
    assert set(data) == {
        "id",
        "email",
        "first_name",
        "last_name",
        "role",
        "cohort",
        "email_notifications",
        "date_joined",
    }
    assert data["email"] == "new.student@example.com"
    assert data["role"] == "student"
    assert data["cohort"] == "2026-spring"
    # and one email with a frontend verification link to an unverified address
    assert len(sent) == 1
    assert sent[0].to == ["new.student@example.com"]
    assert "https://app.example.test/verify-email/" in sent[0].body
    assert EmailAddress.objects.get(email="new.student@example.com").verified is False


def test_register_ignores_a_requested_role_and_staff_flag(api_client):
    # when a visitor asks to become an admin
    response = api_client.post(URL, body(role="admin", is_staff=True, is_superuser=True))
    # then they are a plain student anyway
    assert response.status_code == 201
    user = User.objects.get(email="new.student@example.com")
    assert (user.role, user.is_staff, user.is_superuser) == (User.Role.STUDENT, False, False)


def test_register_without_cohort_is_fine(api_client):
    response = api_client.post(URL, body())
    assert response.status_code == 201
    assert response.json()["cohort"] == ""


def test_login_works_right_after_register_when_verification_is_optional(api_client):
    api_client.post(URL, body())
    response = api_client.post(
        "/api/v1/users/login/",
        {"email": "new.student@example.com", "password": "plum-orchard-ladder-71"},
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short-1", "too short"),
        ("password1234", "too common"),
        ("8134679025", "entirely numeric"),
        ("new.student.example", "too similar to the email"),
        ("okafornia12", "too similar to the name"),
    ],
)
def test_register_rejects_weak_passwords(api_client, password, reason):
    response = api_client.post(URL, body(password=password))
    assert response.status_code == 400, reason
    assert "password" in response.json()
    assert not User.objects.exists()


def test_register_rejects_a_taken_email_in_any_case(api_client, student):
    response = api_client.post(URL, body(email=student.email.upper()))
    assert response.status_code == 400
    assert "email" in response.json()
    assert User.objects.count() == 1


@pytest.mark.parametrize("missing", ["email", "password", "first_name", "last_name"])
def test_register_requires_each_field(api_client, missing):
    data = body()
    del data[missing]
    response = api_client.post(URL, data)
    assert response.status_code == 400
    assert missing in response.json()


def test_register_rejects_a_malformed_email_and_junk_json(api_client):
    assert api_client.post(URL, body(email="not-an-email")).status_code == 400
    response = api_client.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()
