"""The users resource and `users/me/`, for every role."""

import pytest

from lms.users.models import User
from lms.users.tests.conftest import login
from lms.users.tests.factories import AdminFactory, InstructorFactory, StudentFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/users/"
ME = "/api/v1/users/me/"
USER_FIELDS = {
    "id",
    "email",
    "first_name",
    "last_name",
    "role",
    "cohort",
    "email_notifications",
    "date_joined",
}


def detail(user) -> str:
    return f"/api/v1/users/{user.id}/"


# --- list ---------------------------------------------------------------------------


def test_admin_lists_users_with_filters_and_search(auth_client, admin):
    # given users in two cohorts
    maria = StudentFactory(cohort="2026-spring", first_name="Maria", last_name="Silva")
    StudentFactory(cohort="2026-fall")
    teacher = InstructorFactory(first_name="Ada")
    client = auth_client(admin)
    # when the admin lists them
    page = client.get(LIST).json()
    assert set(page) == {"count", "next", "previous", "results"}
    assert page["count"] == 4
    assert set(page["results"][0]) == USER_FIELDS
    # then role, cohort and search narrow the list
    assert [u["id"] for u in client.get(LIST, {"role": "instructor"}).json()["results"]] == [
        teacher.id
    ]
    assert [u["id"] for u in client.get(LIST, {"cohort": "2026-spring"}).json()["results"]] == [
        maria.id
    ]
    for term in ("silva", "MARIA", maria.email.split("@")[0]):
        assert [u["id"] for u in client.get(LIST, {"search": term}).json()["results"]] == [maria.id]
    assert client.get(LIST, {"role": "wizard"}).status_code == 400


@pytest.mark.parametrize("role", ["student", "instructor"])
def test_non_admins_cannot_list_users(auth_client, role):
    user = StudentFactory() if role == "student" else InstructorFactory()
    response = auth_client(user).get(LIST)
    assert response.status_code == 403
    assert "detail" in response.json()


def test_anonymous_cannot_list_users(api_client):
    assert api_client.get(LIST).status_code == 401


def test_user_list_query_count_does_not_grow(auth_client, admin, assert_constant_queries):
    client = auth_client(admin)
    assert_constant_queries(
        lambda: client.get(LIST, {"page_size": 100}),
        lambda: StudentFactory.create_batch(30),
    )


# --- read ---------------------------------------------------------------------------


def test_a_user_reads_their_own_account_and_me(auth_client, student):
    client = auth_client(student)
    own = client.get(detail(student))
    assert own.status_code == 200
    assert set(own.json()) == USER_FIELDS
    assert client.get(ME).json() == own.json()


@pytest.mark.parametrize("viewer_factory", [StudentFactory, InstructorFactory])
def test_another_users_account_is_404(auth_client, student, viewer_factory):
    viewer = viewer_factory()
    client = auth_client(viewer)
    assert client.get(detail(student)).status_code == 404
    assert client.patch(detail(student), {"first_name": "X"}).status_code == 404
    assert client.delete(detail(student)).status_code == 404
    student.refresh_from_db()
    assert student.is_active and student.first_name != "X"


def test_admin_reads_anyone(auth_client, admin, student):
    assert auth_client(admin).get(detail(student)).json()["email"] == student.email


def test_anonymous_gets_401_on_detail_and_me(api_client, student):
    assert api_client.get(detail(student)).status_code == 401
    assert api_client.get(ME).status_code == 401
    assert api_client.patch(ME, {"first_name": "X"}).status_code == 401


def test_unknown_ids_are_404(auth_client, admin):
    assert auth_client(admin).get("/api/v1/users/999999/").status_code == 404
    assert auth_client(admin).get("/api/v1/users/abc/").status_code == 404


# --- edit ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["detail", "me"])
def test_a_user_edits_their_name_and_cohort(auth_client, student, url):
    client = auth_client(student)
    path = detail(student) if url == "detail" else ME
    response = client.patch(path, {"first_name": "Noor", "last_name": "Haddad", "cohort": "x1"})
    assert response.status_code == 200
    assert (response.json()["first_name"], response.json()["cohort"]) == ("Noor", "x1")
    student.refresh_from_db()
    assert (student.first_name, student.last_name, student.cohort) == ("Noor", "Haddad", "x1")


@pytest.mark.parametrize(
    ("field", "value"),
    [("role", "admin"), ("is_staff", True), ("is_active", False), ("email", "new@example.com")],
)
def test_a_user_cannot_change_protected_fields(auth_client, student, field, value):
    # when a student tries to change a protected field (with a harmless edit alongside)
    client = auth_client(student)
    response = client.patch(ME, {field: value, "first_name": "Changed"})
    # then the whole edit is refused with a 400 naming the field
    assert response.status_code == 400
    assert field in response.json()
    student.refresh_from_db()
    assert student.role == User.Role.STUDENT
    assert not student.is_staff and student.is_active
    assert student.first_name != "Changed"
    assert client.put(detail(student), {field: value}).status_code == 400


def test_a_put_of_the_object_as_read_is_accepted(auth_client, instructor):
    client = auth_client(instructor)
    data = client.get(ME).json()
    data["last_name"] = "Lovelace"
    response = client.put(ME, data)
    assert response.status_code == 200
    assert response.json()["last_name"] == "Lovelace"
    assert response.json()["role"] == "instructor"


def test_admin_changes_role_and_staff_follows(auth_client, admin, student):
    client = auth_client(admin)
    response = client.patch(detail(student), {"role": "admin"})
    assert response.status_code == 200
    student.refresh_from_db()
    assert (student.role, student.is_staff) == (User.Role.ADMIN, True)
    client.patch(detail(student), {"role": "instructor"})
    student.refresh_from_db()
    assert (student.role, student.is_staff) == (User.Role.INSTRUCTOR, False)


def test_admin_cannot_set_staff_against_the_role_or_change_email(auth_client, admin, student):
    client = auth_client(admin)
    assert client.patch(detail(student), {"is_staff": True}).status_code == 400
    assert client.patch(detail(student), {"email": "other@example.com"}).status_code == 400
    assert client.patch(detail(student), {"role": "admin", "is_staff": True}).status_code == 200


def test_admin_deactivates_and_reactivates_with_is_active(api_client, auth_client, admin, student):
    client = auth_client(admin)
    assert client.patch(detail(student), {"is_active": False}).status_code == 200
    assert login(api_client, student.email).status_code == 401
    assert client.patch(detail(student), {"is_active": True}).status_code == 200
    assert login(api_client, student.email).status_code == 200


def test_the_last_admin_cannot_demote_or_deactivate_themselves(auth_client, admin):
    client = auth_client(admin)
    assert client.patch(ME, {"role": "student"}).status_code == 409
    assert client.delete(detail(admin)).status_code == 409
    AdminFactory()
    assert client.patch(ME, {"role": "instructor"}).status_code == 200


# --- deactivate ---------------------------------------------------------------------


def test_a_user_deactivates_their_own_account_and_keeps_the_records(api_client, student):
    tokens = login(api_client, student.email).json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    # when the student deletes their account
    assert api_client.delete(detail(student)).status_code == 204
    # then the row is kept, inactive, and nothing logs in any more
    student.refresh_from_db()
    assert student.is_active is False
    api_client.credentials()
    assert login(api_client, student.email).status_code == 401
    assert (
        api_client.post("/api/v1/token/refresh/", {"refresh": tokens["refresh"]}).status_code == 401
    )


def test_admin_deactivates_anyone_and_still_sees_them(auth_client, admin, instructor):
    client = auth_client(admin)
    assert client.delete(detail(instructor)).status_code == 204
    assert client.get(detail(instructor)).status_code == 200
    assert client.get(LIST, {"is_active": "false"}).json()["count"] == 1
