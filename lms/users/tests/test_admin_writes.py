"""Django admin edits of users go through the same rules as the API."""

import pytest
from django.test import Client

from lms.users.models import User
from lms.users.tests.factories import AdminFactory

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_form(user, **changes) -> dict:
    form = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "cohort": user.cohort,
        "role": user.role,
        "is_active": "on",
    }
    form.update(changes)
    return {name: value for name, value in form.items() if value is not None}


def change_url(user) -> str:
    return f"/admin/users/user/{user.id}/change/"


def test_the_last_active_admin_cannot_be_demoted_in_the_admin(admin):
    # when the only admin demotes themselves in the Django admin
    response = signed_in(admin).post(change_url(admin), change_form(admin, role="instructor"))
    # then the form answers with the rule, and nothing changed
    assert response.status_code == 200
    assert "The last active admin cannot give up the admin role." in str(
        response.context["adminform"].form.errors["role"]
    )
    admin.refresh_from_db()
    assert (admin.role, admin.is_staff, admin.is_active) == (User.Role.ADMIN, True, True)


def test_the_last_active_admin_cannot_be_deactivated_in_the_admin(admin):
    # when the only admin clears their own "active" box (or renames themselves at the same time)
    form = change_form(admin, is_active=None, first_name="Renamed")
    response = signed_in(admin).post(change_url(admin), form)
    # then the refusal is shown and neither change is saved
    assert response.status_code == 200
    assert "The last active admin cannot be deactivated." in str(
        response.context["adminform"].form.errors["is_active"]
    )
    admin.refresh_from_db()
    assert admin.is_active and admin.first_name != "Renamed"


def test_with_another_admin_the_demotion_goes_through_and_staff_follows(admin):
    # given a second active admin
    AdminFactory()
    # when the first one is made an instructor in the Django admin
    response = signed_in(admin).post(change_url(admin), change_form(admin, role="instructor"))
    # then the role changed and Django's staff flag with it
    assert response.status_code == 302
    admin.refresh_from_db()
    assert (admin.role, admin.is_staff) == (User.Role.INSTRUCTOR, False)


def test_a_deactivated_admin_does_not_count_as_another_admin(admin):
    AdminFactory(is_active=False)
    response = signed_in(admin).post(change_url(admin), change_form(admin, role="student"))
    assert response.status_code == 200
    admin.refresh_from_db()
    assert admin.role == User.Role.ADMIN


def test_users_are_deactivated_not_deleted_in_the_admin(admin, student):
    client = signed_in(admin)
    # the delete page and the bulk delete action are not offered
    assert client.get(f"/admin/users/user/{student.id}/delete/").status_code == 403
    response = client.post(
        "/admin/users/user/", {"action": "delete_selected", "_selected_action": [student.id]}
    )
    assert response.status_code == 200  # the list again, the unknown action ignored
    assert User.objects.filter(pk=student.pk).exists()
    assert b"delete_selected" not in client.get("/admin/users/user/").content
