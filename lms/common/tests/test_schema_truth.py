"""What the OpenAPI schema says about auth, errors and ids matches what the app answers."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from lms.common.filters import MAX_ID
from lms.courses.tests.factories import CourseFactory

from .helpers import API

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def openapi():
    return SchemaGenerator().get_schema(request=None, public=True)


def operation(openapi, method: str, path: str) -> dict:
    return openapi["paths"][f"/api/v1/{path}"][method]


def test_public_reads_are_documented_as_open_to_anonymous_callers(api_client, openapi):
    course = CourseFactory(is_published=True)
    for path, url in [("courses/", "courses/"), ("courses/{id}/", f"courses/{course.pk}/")]:
        # given an anonymous caller, the catalog answers 200
        assert api_client.get(f"{API}{url}").status_code == 200
        # and the schema says the token is optional there
        assert {} in operation(openapi, "get", path)["security"]
    # while writing still needs a token, and the schema says so
    assert api_client.post(f"{API}courses/", {}).status_code == 401
    assert {} not in operation(openapi, "post", "courses/")["security"]


def test_a_bad_token_on_a_public_route_is_a_documented_401(api_client, openapi):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert api_client.get(f"{API}courses/").status_code == 401
    assert "401" in operation(openapi, "get", "courses/")["responses"]


def test_a_page_past_the_end_is_a_documented_404(api_client, openapi):
    assert api_client.get(f"{API}courses/?page=99").status_code == 404
    assert "404" in operation(openapi, "get", "courses/")["responses"]
    assert "404" in operation(openapi, "get", "certificates/")["responses"]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("courses/", "instructor"),
        ("lessons/", "course_id"),
        ("content-items/", "lesson_id"),
        ("enrollments/", "course_id"),
        ("quiz-submissions/", "student_id"),
    ],
)
def test_id_filters_are_whole_numbers_from_1(api_client, openapi, path, name):
    (parameter,) = [p for p in operation(openapi, "get", path)["parameters"] if p["name"] == name]
    assert parameter["schema"]["type"] == "integer"
    assert (parameter["schema"]["minimum"], parameter["schema"]["maximum"]) == (1, MAX_ID)


@pytest.mark.parametrize("size", ["abc", "0", "-3", "1.5"])
def test_a_page_size_that_is_not_a_whole_number_from_1_is_a_400(api_client, openapi, size):
    # before, a bad page_size was silently replaced by the default and answered 200
    response = api_client.get(f"{API}courses/?page_size={size}")
    assert response.status_code == 400
    assert "page_size" in response.json()
    assert "400" in operation(openapi, "get", "courses/")["responses"]
    (parameter,) = [
        p for p in operation(openapi, "get", "courses/")["parameters"] if p["name"] == "page_size"
    ]
    assert parameter["schema"]["minimum"] == 1


def test_a_page_size_above_the_cap_gives_the_cap(api_client):
    CourseFactory.create_batch(3, is_published=True)
    response = api_client.get(f"{API}courses/?page_size=1000")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 3


def test_options_on_my_profile_describes_it(auth_client, student):
    # before, OPTIONS users/me/ was a 500 (the metadata looked for an id in the URL)
    response = auth_client(student).options(f"{API}users/me/")
    assert response.status_code == 200
    assert "first_name" in response.json()["actions"]["PUT"]


def test_my_profile_schema_offers_only_what_i_may_change(openapi):
    schemas = openapi["components"]["schemas"]
    own = operation(openapi, "patch", "users/me/")["requestBody"]["content"]["application/json"]
    own_fields = set(schemas[own["schema"]["$ref"].rsplit("/", 1)[1]]["properties"])
    assert own_fields == {"first_name", "last_name", "cohort", "email_notifications"}
    admin = operation(openapi, "patch", "users/{id}/")["requestBody"]["content"]["application/json"]
    admin_fields = set(schemas[admin["schema"]["$ref"].rsplit("/", 1)[1]]["properties"])
    assert admin_fields == {
        "first_name", "last_name", "cohort", "email_notifications", "role", "is_active",
    }  # fmt: skip


def test_files_are_documented_in_multipart_only(openapi):
    content = operation(openapi, "post", "courses/")["requestBody"]["content"]
    assert set(content) == {"application/json", "multipart/form-data"}
    schemas = openapi["components"]["schemas"]
    json_body = schemas[content["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]]
    assert json_body["properties"]["thumbnail"]["enum"] == [None]


def test_an_unknown_ordering_is_a_400_and_the_known_ones_are_listed(api_client, openapi):
    # before, `?ordering=AAA` was silently dropped and answered 200
    response = api_client.get(f"{API}courses/?ordering=AAA")
    assert response.status_code == 400
    assert "ordering" in response.json()
    assert api_client.get(f"{API}courses/?ordering=-price,title").status_code == 200
    (parameter,) = [
        p for p in operation(openapi, "get", "payments/")["parameters"] if p["name"] == "ordering"
    ]
    fields = ("created_at", "amount", "status")
    assert set(parameter["schema"]["enum"]) == {*fields, *(f"-{field}" for field in fields)}


def test_a_boolean_filter_refuses_what_is_not_a_boolean(auth_client, admin, openapi):
    client = auth_client(admin)
    # before, `?is_active=null` meant "no filter" and answered 200
    assert client.get(f"{API}users/?is_active=null").status_code == 400
    assert client.get(f"{API}users/?is_active=true").json()["count"] == 1
    assert client.get(f"{API}users/?is_active=false").json()["count"] == 0


def test_an_empty_ordering_is_a_400(api_client):
    assert api_client.get(f"{API}courses/?ordering=").status_code == 400


def test_a_profile_edit_sent_as_a_form_leaves_the_account_active(auth_client, student):
    # before, DRF read the missing `is_active` of a form as false: "You cannot change this field"
    response = auth_client(student).put(
        f"{API}users/me/", {"first_name": "Noor"}, format="multipart"
    )
    assert response.status_code == 200, response.json()
    student.refresh_from_db()
    assert (student.first_name, student.is_active) == ("Noor", True)


def test_a_number_is_not_text(auth_client, student):
    # before, `{"cohort": 0}` was stored as "0", though the schema says a string
    response = auth_client(student).patch(f"{API}users/me/", {"cohort": 0}, format="json")
    assert response.status_code == 400
    assert response.json() == {"cohort": ["Not a valid string."]}
    student.refresh_from_db()
    assert student.cohort == ""


@pytest.mark.parametrize(
    "path",
    [
        "users/login/",
        "users/register/",
        "token/refresh/",
        "users/google/",
        "payments/webhook/stripe/",
    ],
)
def test_public_operations_say_they_need_no_credentials(openapi, path):
    assert operation(openapi, "post", path)["security"] == []
