"""The Django admin for users, and the demo accounts."""

import io

import pytest
from django.test import Client

from lms.users.demo import DEMO_PASSWORD, demo_logins, seed
from lms.users.models import User
from lms.users.tests.conftest import login
from lms.users.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_site(admin) -> Client:
    client = Client()
    client.force_login(admin)
    return client


def test_admin_lists_filters_and_searches_users(admin_site):
    StudentFactory(email="maria@example.com", cohort="2026-spring")
    StudentFactory(email="tom@example.com", cohort="2026-fall")
    page = admin_site.get("/admin/users/user/", {"cohort": "2026-spring"})
    assert page.status_code == 200
    assert b"maria@example.com" in page.content
    assert b"tom@example.com" not in page.content
    found = admin_site.get("/admin/users/user/", {"q": "tom@", "role__exact": "student"})
    assert b"tom@example.com" in found.content
    assert b"maria@example.com" not in found.content


def test_admin_role_edit_keeps_staff_in_agreement(admin_site, student):
    url = f"/admin/users/user/{student.id}/change/"
    assert admin_site.get(url).status_code == 200
    form = {
        "email": student.email,
        "first_name": student.first_name,
        "last_name": student.last_name,
        "cohort": "",
        "role": "admin",
        "is_active": "on",
    }
    response = admin_site.post(url, form)
    assert response.status_code == 302, response.content[:2000]
    student.refresh_from_db()
    assert (student.role, student.is_staff) == (User.Role.ADMIN, True)
    admin_site.post(url, {**form, "role": "instructor"})
    student.refresh_from_db()
    assert (student.role, student.is_staff) == (User.Role.INSTRUCTOR, False)


def test_admin_adds_a_user_by_email(admin_site):
    response = admin_site.post(
        "/admin/users/user/add/",
        {
            "email": "New@Example.com",
            "role": "instructor",
            "cohort": "",
            "usable_password": "true",
            "password1": "sapphire-kettle-moon-7",
            "password2": "sapphire-kettle-moon-7",
        },
    )
    assert response.status_code == 302, response.content[:3000]
    user = User.objects.get(email="new@example.com")
    assert (user.role, user.is_staff) == (User.Role.INSTRUCTOR, False)


def test_demo_seed_is_idempotent_and_its_users_log_in(api_client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    out = io.StringIO()
    seed(out)
    seed(out)
    assert User.objects.count() == len(demo_logins()) == 8
    assert "maria@example.com" in out.getvalue()
    roles = dict((email, role) for role, email in demo_logins())
    for email in ("admin@example.com", "ada@example.com", "maria@example.com"):
        response = login(api_client, email, DEMO_PASSWORD)
        assert response.status_code == 200, email
        assert response.json()["user"]["role"] == roles[email]
    admin = User.objects.get(email="admin@example.com")
    assert admin.is_staff and admin.is_superuser
    assert set(User.objects.filter(cohort="2026-fall").values_list("email", flat=True)) == {
        "noor@example.com",
        "tom@example.com",
    }


def test_instructors_and_students_are_kept_out_of_the_admin_site(instructor, student):
    for user in (instructor, student):
        client = Client()
        client.force_login(user)
        assert client.get("/admin/users/user/").status_code == 302


def _session(email: str) -> dict:
    from rest_framework.test import APIClient

    return login(APIClient(), email).json()


def _still_works(session: dict) -> tuple[int, int]:
    from rest_framework.test import APIClient

    client = APIClient()
    refresh = client.post("/api/v1/token/refresh/", {"refresh": session["refresh"]})
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {session['access']}")
    return client.get("/api/v1/users/me/").status_code, refresh.status_code


def test_deactivating_in_the_admin_ends_the_users_sessions_for_good(admin_site, student):
    session = _session(student.email)
    url = f"/admin/users/user/{student.id}/change/"
    form = {
        "email": student.email,
        "first_name": student.first_name,
        "last_name": student.last_name,
        "cohort": "",
        "role": "student",
    }  # "is_active" left out: the checkbox is cleared

    response = admin_site.post(url, form)
    admin_site.post(url, {**form, "is_active": "on"})  # reactivated later

    assert response.status_code == 302, response.content[:2000]
    assert _still_works(session) == (401, 401)
    assert login(Client(), student.email).status_code == 200


def test_a_password_set_in_the_admin_ends_the_users_sessions(admin_site, student):
    session = _session(student.email)
    new_password = "granite-orchard-lantern-77"

    response = admin_site.post(
        f"/admin/users/user/{student.id}/password/",
        {"password1": new_password, "password2": new_password, "usable_password": "true"},
    )

    assert response.status_code == 302, response.content[:2000]
    assert _still_works(session) == (401, 401)
    assert login(Client(), student.email, new_password).status_code == 200


def test_an_unchanged_admin_save_keeps_the_users_sessions(admin_site, student):
    session = _session(student.email)
    form = {
        "email": student.email,
        "first_name": "Renamed",
        "last_name": student.last_name,
        "cohort": "",
        "role": "student",
        "is_active": "on",
    }

    admin_site.post(f"/admin/users/user/{student.id}/change/", form)

    assert _still_works(session) == (200, 200)
