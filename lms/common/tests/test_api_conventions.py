"""API conventions on every list endpoint, bad input, and the offline schema and docs pages."""

import io
import re

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from lms.courses.tests.factories import CourseFactory
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.quizzes.models import Quiz
from lms.users.tests.factories import AdminFactory

from .helpers import API, login

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "learn-demo-2026"

#: Every list endpoint, and the demo account that reads it.
LISTS = [
    ("users/", "admin@example.com"),
    ("courses/", "admin@example.com"),
    ("modules/", "admin@example.com"),
    ("lessons/", "admin@example.com"),
    ("content-items/", "admin@example.com"),
    ("enrollments/", "admin@example.com"),
    ("payments/", "admin@example.com"),
    ("certificates/", "admin@example.com"),
    ("quizzes/", "admin@example.com"),
    ("questions/", "ada@example.com"),
    ("quiz-submissions/", "admin@example.com"),
    # and as a student, for the endpoints students read
    ("courses/", "maria@example.com"),
    ("modules/", "maria@example.com"),
    ("lessons/", "maria@example.com"),
    ("content-items/", "maria@example.com"),
    ("enrollments/", "maria@example.com"),
    ("payments/", "sam@example.com"),
    ("certificates/", "li@example.com"),
    ("quizzes/", "maria@example.com"),
    ("quiz-submissions/", "li@example.com"),
]


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def reader(email: str) -> APIClient:
    return login(email, DEMO_PASSWORD)[0]


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert isinstance(body, dict) and body, body
    return body


# --- pagination ------------------------------------------------------------------------


@pytest.mark.parametrize("path, email", LISTS)
def test_every_list_is_paginated_capped_and_answers_json_404_past_the_end(demo, path, email):
    client = reader(email)

    page = client.get(f"{API}{path}")
    assert page.status_code == 200, page.content
    body = page.json()
    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] >= 1, f"the demo data should give {email} something in {path}"
    assert body["previous"] is None
    assert len(body["results"]) == min(body["count"], 20)

    big = client.get(f"{API}{path}", {"page_size": 1000}).json()
    assert len(big["results"]) == min(big["count"], 100)

    one = client.get(f"{API}{path}", {"page_size": 1}).json()
    assert len(one["results"]) == 1
    assert (one["next"] is not None) == (one["count"] > 1)

    assert_json_error(client.get(f"{API}{path}", {"page": 999}), 404)
    assert_json_error(client.get(f"{API}{path}", {"page": "abc"}), 404)


@pytest.mark.parametrize("path", ["users/", "courses/", "enrollments/"])
def test_page_size_is_capped_at_100(path):
    # Given more than 100 users, courses and enrollments
    EnrollmentFactory.create_batch(101)
    client, _ = login(AdminFactory().email)

    body = client.get(f"{API}{path}", {"page_size": 1000}).json()

    assert body["count"] > 100
    assert len(body["results"]) == 100
    assert "page=2" in body["next"]
    second = client.get(f"{API}{path}", {"page_size": 1000, "page": 2}).json()
    assert len(second["results"]) == min(body["count"] - 100, 100)
    first_ids = {row["id"] for row in body["results"]}
    assert first_ids.isdisjoint(row["id"] for row in second["results"])


# --- bad input -------------------------------------------------------------------------

MALFORMED = '{"course": 1, "title": '


def _malformed_targets(student, instructor, admin):
    """(client, method, path) for a sample of writing endpoints."""
    course = CourseFactory(instructor=instructor.user)
    quiz = Quiz.objects.create(course=course, title="Q", is_published=True)
    EnrollmentFactory(student=student.user, course=course)
    return [
        (APIClient(), "post", "users/register/"),
        (APIClient(), "post", "users/login/"),
        (APIClient(), "post", "token/refresh/"),
        (APIClient(), "post", "users/password/reset/"),
        (APIClient(), "post", "users/verify-email/"),
        (student.client, "patch", "users/me/"),
        (student.client, "post", "users/password/change/"),
        (instructor.client, "post", "courses/"),
        (instructor.client, "patch", f"courses/{course.pk}/"),
        (instructor.client, "post", "modules/"),
        (instructor.client, "post", "lessons/"),
        (instructor.client, "post", "content-items/"),
        (student.client, "post", "enrollments/"),
        (student.client, "post", "payments/checkout/"),
        (instructor.client, "post", "quizzes/"),
        (instructor.client, "post", "questions/"),
        (student.client, "post", f"quizzes/{quiz.pk}/submit/"),
        (admin.client, "patch", f"users/{student.user.pk}/"),
    ]


class _Caller:
    def __init__(self, user):
        self.user = user
        self.client = login(user.email)[0]


def test_malformed_json_bodies_are_400_json_never_500(student, instructor, admin):
    targets = _malformed_targets(_Caller(student), _Caller(instructor), _Caller(admin))
    failures = []
    for client, method, path in targets:
        response = getattr(client, method)(
            f"{API}{path}", MALFORMED, content_type="application/json"
        )
        if response.status_code != 400 or not response["Content-Type"].startswith(
            "application/json"
        ):
            failures.append((method, path, response.status_code, response.content[:200]))
        else:
            assert "detail" in response.json()
    assert failures == []


BAD_FILTERS = [
    ("modules/", {"course_id": "abc"}),
    ("lessons/", {"course_id": "abc"}),
    ("lessons/", {"module_id": "1.5"}),
    ("content-items/", {"lesson_id": "abc"}),
    ("enrollments/", {"course_id": "abc"}),
    ("payments/", {"course_id": "abc"}),
    ("quizzes/", {"course_id": "abc"}),
    ("questions/", {"quiz_id": "abc"}),
    ("quiz-submissions/", {"quiz_id": "abc"}),
    ("quiz-submissions/", {"course_id": "abc"}),
    ("quiz-submissions/", {"student_id": "abc"}),
    ("courses/", {"instructor": "abc"}),
    ("enrollments/", {"status": "bogus"}),
    ("payments/", {"status": "bogus"}),
    ("quiz-submissions/", {"status": "bogus"}),
    ("users/", {"role": "wizard"}),
]


@pytest.mark.parametrize("path, params", BAD_FILTERS)
def test_wrong_types_in_filters_are_400_json(path, params, admin):
    client = login(admin.email)[0]

    response = client.get(f"{API}{path}", params)

    assert_json_error(response, 400)


@pytest.mark.parametrize(
    "path, params",
    [
        ("courses/", {"is_free": "maybe"}),
        ("courses/", {"ordering": "password"}),
        ("users/", {"is_active": "maybe"}),
        ("courses/", {"page_size": "lots"}),
        ("courses/", {"page": "99999999999999999999999"}),
    ],
)
def test_odd_query_values_never_500(path, params, admin):
    client = login(admin.email)[0]

    response = client.get(f"{API}{path}", params)

    assert response.status_code < 500, response.content[:300]
    assert response["Content-Type"].startswith("application/json")


HUGE = "99999999999999999999999"  # beyond any database integer


@pytest.mark.parametrize(
    "path, param",
    [
        ("modules/", "course_id"),
        ("lessons/", "course_id"),
        ("lessons/", "module_id"),
        ("content-items/", "lesson_id"),
        ("enrollments/", "course_id"),
        ("payments/", "course_id"),
        ("courses/", "instructor"),
        ("quizzes/", "course_id"),
        ("questions/", "quiz_id"),
        ("quiz-submissions/", "quiz_id"),
        ("quiz-submissions/", "course_id"),
        ("quiz-submissions/", "student_id"),
    ],
)
def test_ids_beyond_any_integer_in_filters_never_500(path, param, admin):
    client = login(admin.email)[0]

    response = client.get(f"{API}{path}", {param: HUGE})

    assert response.status_code == 400, response.content[:300]
    assert param in response.json()
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "path, body",
    [
        ("enrollments/", {"course": HUGE}),
        ("payments/checkout/", {"course": HUGE}),
    ],
)
def test_ids_beyond_any_integer_in_bodies_are_400(path, body, student):
    response = login(student.email)[0].post(f"{API}{path}", body, format="json")

    assert_json_error(response, 400)


def test_a_course_capacity_beyond_any_integer_is_400(instructor):
    client = login(instructor.email)[0]

    response = client.post(f"{API}courses/", {"title": "Big", "capacity": HUGE}, format="json")

    assert_json_error(response, 400)
    assert "capacity" in response.json()


# --- schema and docs -------------------------------------------------------------------


def test_schema_is_openapi_3_and_documents_every_list(settings, api_client):
    assert settings.DEBUG is False

    response = api_client.get(f"{API}schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    documented = set(schema["paths"])
    for path, _email in LISTS:
        assert f"/api/v1/{path}" in documented


@pytest.mark.parametrize(
    "page",
    [
        "docs/",
        "redoc/",
    ],
)
def test_docs_pages_render_offline_with_debug_off(settings, api_client, page):
    assert settings.DEBUG is False

    response = api_client.get(f"{API}{page}")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    # No asset from a CDN, no absolute URL at all
    assert re.findall(r"https?://[^\s\"'<>]+", html) == []
    # And every script and stylesheet it references is served locally
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    scripts = [a for a in assets if a.endswith((".js", ".css"))]
    assert scripts, html[:500]
    for asset in scripts:
        served = api_client.get(asset)
        assert served.status_code == 200, asset


@pytest.mark.parametrize(
    ("path", "param", "parent_404", "body"),
    [
        # content lists never tell an unknown parent from a closed one: an admin's list is empty
        ("modules/", "course_id", False, None),
        ("lessons/", "module_id", False, None),
        ("content-items/", "lesson_id", False, None),
        # quizzes and questions find their parent first: an unknown one is 404 for everyone
        ("quizzes/", "course_id", True, {"detail": "No such course.", "code": "not_found"}),
        ("questions/", "quiz_id", True, {"detail": "Not found.", "code": "not_found"}),
    ],
)
def test_a_list_filtered_by_an_unknown_parent(path, param, parent_404, body, admin):
    client = login(admin.email)[0]

    response = client.get(f"{API}{path}", {param: 999999})

    if parent_404:
        assert (response.status_code, response.json()) == (404, body)
    else:
        assert (response.status_code, response.json()["count"]) == (200, 0)
