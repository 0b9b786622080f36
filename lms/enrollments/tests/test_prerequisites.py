"""Prerequisites: written by the course's writers, shown on detail and outline, and checked
by self-enrollment and checkout (staff enrollment does not check them)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.courses.models import Course
from lms.courses.tests.factories import CourseFactory
from lms.enrollments.models import Enrollment
from lms.enrollments.prerequisites import enrollment_prerequisites_check, prerequisites_missing
from lms.enrollments.services import enrollment_activate_paid
from lms.enrollments.staff import enrollments_staff_open
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.payments.models import Payment
from lms.users.tests.factories import InstructorFactory

pytestmark = pytest.mark.django_db

COURSES = "/api/v1/courses/"


@pytest.fixture
def basics(instructor):
    return CourseFactory(instructor=instructor, title="Basics")


@pytest.fixture
def advanced(instructor, basics):
    course = CourseFactory(instructor=instructor, title="Advanced")
    course.prerequisites.set([basics])
    return course


def patch(client, course, prerequisites):
    return client.patch(f"{COURSES}{course.pk}/", {"prerequisites": prerequisites}, format="json")


# --- Writing them ----------------------------------------------------------------------


def test_the_owner_sets_prerequisites_and_detail_and_outline_show_them(
    auth_client, instructor, basics
):
    course = CourseFactory(instructor=instructor)
    other = CourseFactory(title="Other")

    response = patch(auth_client(instructor), course, [basics.pk, other.pk])

    assert response.status_code == 200, response.content
    expected = [{"id": basics.pk, "title": "Basics"}, {"id": other.pk, "title": "Other"}]
    assert response.json()["prerequisites"] == expected
    assert auth_client(instructor).get(f"{COURSES}{course.pk}/").json()["prerequisites"] == (
        expected
    )
    outline = auth_client(instructor).get(f"{COURSES}{course.pk}/outline/").json()
    assert outline["prerequisites"] == expected


def test_created_with_prerequisites_and_cleared_with_an_empty_list(auth_client, admin, basics):
    client = auth_client(admin)
    response = client.post(
        COURSES,
        {"title": "New", "prerequisites": [basics.pk], "instructor_id": basics.instructor_id},
        format="json",
    )
    assert response.status_code == 201, response.content
    course = Course.objects.get(pk=response.json()["id"])
    assert list(course.prerequisites.all()) == [basics]

    assert patch(client, course, []).json()["prerequisites"] == []
    assert not course.prerequisites.exists()


def test_a_course_cannot_require_itself(auth_client, instructor, basics):
    response = patch(auth_client(instructor), basics, [basics.pk])

    assert response.status_code == 400
    assert "prerequisites" in response.json()
    assert not basics.prerequisites.exists()


def test_a_cycle_is_refused_and_changes_nothing(auth_client, instructor, basics, advanced):
    third = CourseFactory(instructor=instructor)
    third.prerequisites.set([advanced])

    # basics -> third -> advanced -> basics would close the loop.
    response = patch(auth_client(instructor), basics, [third.pk])

    assert response.status_code == 400
    assert "cycle" in response.json()["prerequisites"][0]
    assert not basics.prerequisites.exists()


@pytest.mark.parametrize("value", [["x"], [999_999], "1", [None], {"a": 1}])
def test_bad_prerequisites_are_a_400(auth_client, instructor, basics, value):
    course = CourseFactory(instructor=instructor)

    response = patch(auth_client(instructor), course, value)

    assert response.status_code == 400
    assert "prerequisites" in response.json()
    assert not course.prerequisites.exists()


def test_a_draft_the_writer_cannot_see_is_as_unknown(auth_client, instructor):
    hidden = CourseFactory(is_published=False)  # another instructor's draft
    course = CourseFactory(instructor=instructor)

    response = patch(auth_client(instructor), course, [hidden.pk])

    assert response.status_code == 400
    unknown = patch(auth_client(instructor), course, [999_999]).json()["prerequisites"]
    assert response.json()["prerequisites"] == [
        message.replace("999999", str(hidden.pk)) for message in unknown
    ]


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("student", 403), ("other_instructor", 403), ("admin", 200)],
)
def test_who_may_write_prerequisites(client_as, role, status, advanced, basics):
    response = patch(client_as(role), advanced, [])

    assert response.status_code == status
    assert advanced.prerequisites.exists() == (status != 200)


def test_a_reader_sees_only_the_prerequisites_they_see(api_client, instructor, advanced, basics):
    draft = CourseFactory(instructor=instructor, is_published=False, title="Secret draft")
    advanced.prerequisites.add(draft)

    shown = api_client.get(f"{COURSES}{advanced.pk}/").json()["prerequisites"]

    assert shown == [{"id": basics.pk, "title": "Basics"}]


def test_catalog_prerequisites_in_constant_queries(auth_client, student, assert_constant_queries):
    # Signed in: the anonymous catalog is served from a cache.
    client = auth_client(student)

    def grow():
        for _ in range(20):
            course = CourseFactory()
            course.prerequisites.set([CourseFactory(), CourseFactory()])

    CourseFactory().prerequisites.set([CourseFactory()])

    def call():
        assert client.get(COURSES, {"page_size": 100}).status_code == 200

    assert_constant_queries(call, grow)


# --- Checking them ---------------------------------------------------------------------


def test_enrolling_without_the_prerequisites_is_a_409_naming_them(
    auth_client, student, advanced, basics
):
    response = auth_client(student).post("/api/v1/enrollments/", {"course": advanced.pk})

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "prerequisites_not_met"
    assert body["missing"] == [basics.pk]
    assert body["detail"]
    assert not Enrollment.objects.filter(course=advanced).exists()


def test_an_active_enrollment_in_the_prerequisite_is_not_enough(
    auth_client, student, advanced, basics
):
    EnrollmentFactory(student=student, course=basics)

    response = auth_client(student).post("/api/v1/enrollments/", {"course": advanced.pk})

    assert response.status_code == 409
    assert response.json()["missing"] == [basics.pk]


def test_a_completed_prerequisite_opens_enrollment(auth_client, student, advanced, basics):
    EnrollmentFactory(student=student, course=basics, status=Enrollment.Status.COMPLETED)

    response = auth_client(student).post("/api/v1/enrollments/", {"course": advanced.pk})

    assert response.status_code == 201, response.content


def test_an_unpublished_prerequisite_is_not_required(auth_client, student, advanced, basics):
    Course.objects.filter(pk=basics.pk).update(is_published=False)

    response = auth_client(student).post("/api/v1/enrollments/", {"course": advanced.pk})

    assert response.status_code == 201, response.content


def test_checkout_without_the_prerequisites_is_a_409(auth_client, student, advanced, basics):
    Course.objects.filter(pk=advanced.pk).update(price=Decimal("20.00"))

    response = auth_client(student).post("/api/v1/payments/checkout/", {"course": advanced.pk})

    assert response.status_code == 409
    assert response.json()["code"] == "prerequisites_not_met"
    assert response.json()["missing"] == [basics.pk]
    assert not Payment.objects.exists()


def test_checkout_with_the_prerequisites_completed(auth_client, student, advanced, basics):
    Course.objects.filter(pk=advanced.pk).update(price=Decimal("20.00"))
    EnrollmentFactory(student=student, course=basics, status=Enrollment.Status.COMPLETED)

    response = auth_client(student).post("/api/v1/payments/checkout/", {"course": advanced.pk})

    assert response.status_code == 201, response.content


def test_staff_enrollment_does_not_check_them(student, advanced):
    # The path a staff (bulk) enrollment and a confirmed payment take: no prerequisite check.
    enrollment = enrollment_activate_paid(student=student, course=advanced)

    assert enrollment.status == Enrollment.Status.ACTIVE


def test_the_rule_names_every_missing_course_in_one_query(student, advanced, basics):
    more = CourseFactory(instructor=InstructorFactory())
    advanced.prerequisites.add(more)
    EnrollmentFactory(student=student, course=more, status=Enrollment.Status.COMPLETED)

    with CaptureQueriesContext(connection) as queries:
        assert prerequisites_missing(student=student, course=advanced) == [basics.pk]
    assert len(queries) == 1
    with pytest.raises(Exception, match="prerequisites"):
        enrollment_prerequisites_check(student=student, course=advanced)


def test_staff_bulk_enrollment_skips_prerequisites_and_restarts_the_drip(student, advanced):
    enrollments_staff_open(course_id=advanced.pk, students=[(student, "")])
    enrollment = Enrollment.objects.get(student=student, course=advanced)
    assert enrollment.status == Enrollment.Status.ACTIVE
    old = enrollment.activated_at - timedelta(days=30)
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=Enrollment.Status.CANCELLED, activated_at=old
    )

    enrollments_staff_open(course_id=advanced.pk, students=[(student, "")])

    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ACTIVE
    assert enrollment.activated_at > old
