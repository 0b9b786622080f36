"""The course catalog: who sees which courses, filters, creating, editing and deleting."""

from decimal import Decimal

import pytest

from lms.courses.models import Course
from lms.enrollments.models import Enrollment
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.payments.tests.factories import PaymentFactory
from lms.users.tests.factories import InstructorFactory, StudentFactory

from .factories import CourseFactory, LessonFactory, ModuleFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/courses/"


def slugs(response):
    assert response.status_code == 200, response.content
    return {row["slug"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("role", "sees_draft"),
    [
        ("anonymous", False),
        ("other_student", False),
        ("enrolled_student", False),
        ("instructor", True),
        ("other_instructor", False),
        ("admin", True),
    ],
)
def test_catalog_shows_published_courses_and_drafts_only_to_their_instructor_and_admins(
    client_as, course, draft, enrolled_student, role, sees_draft
):
    # Given a published course and a draft by the same instructor
    # When someone lists and opens courses
    listed = slugs(client_as(role).get(URL))
    draft_detail = client_as(role).get(f"{URL}{draft.pk}/")
    # Then the published one is always there, the draft only for its instructor and admins
    assert "python" in listed
    assert ("draft" in listed) is sees_draft
    assert draft_detail.status_code == (200 if sees_draft else 404)
    assert client_as(role).get(f"{URL}{course.pk}/").status_code == 200


def test_course_fields_and_counts(api_client, course, enrolled_student, completed_student):
    # Given a course with 1 module, 2 lessons, an active, a completed and a cancelled enrollment
    EnrollmentFactory(course=course, status=Enrollment.Status.CANCELLED)
    # When anyone opens it
    body = api_client.get(f"{URL}{course.pk}/").json()
    # Then counts and the instructor come with it
    assert body["module_count"] == 1
    assert body["lesson_count"] == 2
    assert body["enrolled_count"] == 2
    assert body["instructor"] == {
        "id": course.instructor.pk,
        "first_name": course.instructor.first_name,
        "last_name": course.instructor.last_name,
    }
    assert body["is_free"] is True
    assert body["thumbnail"] is None
    assert set(body) >= {"price", "currency", "capacity", "is_published", "created_at"}


def test_filters_search_and_ordering(api_client, instructor, other_instructor):
    # Given three published courses
    CourseFactory(title="Django basics", slug="a", instructor=instructor, price=Decimal("10"))
    CourseFactory(title="Algebra", slug="b", description="Learn django maths", price=0)
    CourseFactory(title="Cooking", slug="c", instructor=other_instructor, price=Decimal("5"))
    # Then search looks in title and description, case-insensitively
    assert slugs(api_client.get(URL, {"search": "DJANGO"})) == {"a", "b"}
    # And instructor and is_free filter
    assert slugs(api_client.get(URL, {"instructor": instructor.pk})) == {"a"}
    assert slugs(api_client.get(URL, {"is_free": "true"})) == {"b"}
    assert slugs(api_client.get(URL, {"is_free": "false"})) == {"a", "c"}
    # And ordering works by title and price
    by_title = api_client.get(URL, {"ordering": "title"}).json()["results"]
    assert [row["slug"] for row in by_title] == ["b", "c", "a"]
    by_price = api_client.get(URL, {"ordering": "-price"}).json()["results"]
    assert [row["slug"] for row in by_price] == ["a", "c", "b"]


@pytest.mark.parametrize("params", [{"instructor": "x"}, {"is_free": "maybe"}])
def test_bad_filter_values_answer_400(api_client, params):
    assert api_client.get(URL, params).status_code == 400


# --- Creating -----------------------------------------------------------------------


def test_instructor_creates_a_course_and_is_its_instructor(auth_client, instructor):
    # When an instructor creates a course without a slug
    response = auth_client(instructor).post(
        URL, {"title": "Rust for Pythonistas", "price": "19.90", "currency": "eur"}
    )
    # Then it is theirs, a draft, with a slug from the title
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["instructor"]["id"] == instructor.pk
    assert body["slug"] == "rust-for-pythonistas"
    assert body["currency"] == "EUR"
    assert body["is_published"] is False
    assert body["module_count"] == 0


def test_slug_is_made_unique(auth_client, instructor):
    CourseFactory(slug="intro")
    first = auth_client(instructor).post(URL, {"title": "Intro"}).json()
    second = auth_client(instructor).post(URL, {"title": "Intro"}).json()
    assert (first["slug"], second["slug"]) == ("intro-2", "intro-3")


def test_a_taken_explicit_slug_is_a_400(auth_client, instructor):
    CourseFactory(slug="intro")
    response = auth_client(instructor).post(URL, {"title": "Intro", "slug": "intro"})
    assert response.status_code == 400
    assert "slug" in response.json()


def test_instructor_cannot_name_another_instructor(auth_client, instructor, other_instructor):
    response = auth_client(instructor).post(
        URL, {"title": "Mine", "instructor_id": other_instructor.pk}
    )
    assert response.status_code == 400
    assert "instructor_id" in response.json()
    assert not Course.objects.exists()


def test_admin_creates_a_course_for_an_instructor(auth_client, admin, instructor):
    response = auth_client(admin).post(URL, {"title": "Given", "instructor_id": instructor.pk})
    assert response.status_code == 201
    assert response.json()["instructor"]["id"] == instructor.pk


def test_admin_cannot_name_a_student_as_instructor(auth_client, admin, student):
    response = auth_client(admin).post(URL, {"title": "Given", "instructor_id": student.pk})
    assert response.status_code == 400
    assert "instructor_id" in response.json()


def test_admin_without_instructor_id_teaches_the_course(auth_client, admin):
    response = auth_client(admin).post(URL, {"title": "Admin course"})
    assert response.status_code == 201
    assert response.json()["instructor"]["id"] == admin.pk


@pytest.mark.parametrize(("role", "code"), [("anonymous", 401), ("student", 403)])
def test_students_and_anonymous_cannot_create_courses(client_as, student, role, code):
    response = client_as(role).post(URL, {"title": "Nope"})
    assert response.status_code == code
    assert not Course.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "T", "price": "-1"}, "price"),
        ({"title": "T", "price": "abc"}, "price"),
        ({"title": "T", "currency": "dollars"}, "currency"),
        ({"title": "T", "capacity": 0}, "capacity"),
    ],
)
def test_invalid_course_input_is_a_400_naming_the_field(auth_client, instructor, payload, field):
    response = auth_client(instructor).post(URL, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


# --- Editing and deleting -----------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("anonymous", 401),
        ("other_student", 403),
        ("enrolled_student", 403),
        ("other_instructor", 403),
        ("instructor", 200),
        ("admin", 200),
    ],
)
def test_only_the_instructor_or_an_admin_edits_a_published_course(
    client_as, course, enrolled_student, role, code
):
    response = client_as(role).patch(f"{URL}{course.pk}/", {"title": "Renamed"})
    assert response.status_code == code
    course.refresh_from_db()
    assert (course.title == "Renamed") is (code == 200)


def test_another_instructor_gets_404_on_a_draft(auth_client, draft, other_instructor):
    assert (
        auth_client(other_instructor).patch(f"{URL}{draft.pk}/", {"title": "x"}).status_code == 404
    )
    assert auth_client(other_instructor).delete(f"{URL}{draft.pk}/").status_code == 404


def test_instructor_publishes_and_admin_reassigns(auth_client, draft, admin):
    other = InstructorFactory()
    assert (
        auth_client(draft.instructor)
        .patch(f"{URL}{draft.pk}/", {"is_published": True})
        .json()["is_published"]
    )
    body = auth_client(admin).patch(f"{URL}{draft.pk}/", {"instructor_id": other.pk}).json()
    assert body["instructor"]["id"] == other.pk


@pytest.mark.parametrize(
    ("role", "code"),
    [("other_student", 403), ("other_instructor", 403), ("instructor", 204), ("admin", 204)],
)
def test_deleting_a_course(client_as, course, role, code):
    response = client_as(role).delete(f"{URL}{course.pk}/")
    assert response.status_code == code
    assert Course.objects.filter(pk=course.pk).exists() is (code != 204)


def test_deleting_a_course_with_active_enrollments_is_a_409(auth_client, admin, course):
    EnrollmentFactory(course=course)
    response = auth_client(admin).delete(f"{URL}{course.pk}/")
    assert response.status_code == 409
    assert "unpublish" in response.json()["detail"]
    # and the admin can unpublish it instead
    response = auth_client(admin).patch(f"{URL}{course.pk}/", {"is_published": False})
    assert response.status_code == 200
    assert response.json()["is_published"] is False


@pytest.mark.parametrize(
    "history",
    [
        lambda course: EnrollmentFactory(course=course, status=Enrollment.Status.CANCELLED),
        lambda course: PaymentFactory(course=course, student=StudentFactory(), amount=Decimal("9")),
    ],
)
def test_deleting_a_course_with_history_is_a_409_not_a_500(auth_client, admin, course, history):
    history(course)
    response = auth_client(admin).delete(f"{URL}{course.pk}/")
    assert response.status_code == 409
    assert Course.objects.filter(pk=course.pk).exists()


def test_deleting_a_course_deletes_its_content(auth_client, instructor):
    course = CourseFactory(instructor=instructor)
    LessonFactory(module=ModuleFactory(course=course))
    assert auth_client(instructor).delete(f"{URL}{course.pk}/").status_code == 204
    assert not Course.objects.exists()


def test_a_course_is_found_by_its_slug(api_client, instructor):
    CourseFactory(title="Python", slug="python-fundamentals", instructor=instructor)
    CourseFactory(title="Python 2", slug="python-fundamentals-2", instructor=instructor)

    found = api_client.get(URL, {"slug": "python-fundamentals"})
    missing = api_client.get(URL, {"slug": "no-such-course"})

    assert slugs(found) == {"python-fundamentals"}
    assert slugs(missing) == set()
