"""Enrolling, listing, reading and cancelling enrollments, for every role."""

from decimal import Decimal

import pytest

from lms.enrollments.models import Enrollment
from lms.enrollments.selectors import is_enrolled
from lms.enrollments.tests.factories import EnrollmentFactory, LessonProgressFactory
from lms.users.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/enrollments/"


def detail(enrollment) -> str:
    return f"{URL}{enrollment.pk}/"


# --- POST enrollments/ ---------------------------------------------------------------


def test_student_enrolls_in_free_published_course(auth_client, student, make_course):
    course, _ = make_course()

    response = auth_client(student).post(URL, {"course": course.pk})

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "active"
    assert body["course"]["id"] == course.pk
    assert body["student"]["id"] == student.pk
    assert body["progress"] == {"completed_lessons": 0, "total_lessons": 3, "percent": 0}
    assert is_enrolled(student, course.pk)


def test_enrollment_sends_one_confirmation_email(
    auth_client, student, make_course, mailoutbox, django_capture_on_commit_callbacks
):
    course, _ = make_course(title="Python Basics")

    with django_capture_on_commit_callbacks(execute=True):
        auth_client(student).post(URL, {"course": course.pk})

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [student.email]
    assert "Python Basics" in mailoutbox[0].subject


def test_paid_course_answers_402_with_checkout_path(auth_client, student, make_course):
    course, _ = make_course(price=Decimal("49.00"))

    response = auth_client(student).post(URL, {"course": course.pk})

    assert response.status_code == 402
    assert response.json()["checkout"] == "/api/v1/payments/checkout/"
    assert response.json()["amount"] == "49.00"
    assert not Enrollment.objects.exists()


def test_enrolling_twice_is_a_conflict(auth_client, student, make_course):
    course, _ = make_course()
    client = auth_client(student)
    client.post(URL, {"course": course.pk})

    response = client.post(URL, {"course": course.pk})

    assert response.status_code == 409
    assert Enrollment.objects.filter(student=student, course=course).count() == 1


def test_completed_enrollment_cannot_enroll_again(auth_client, student, make_course):
    course, _ = make_course()
    EnrollmentFactory(student=student, course=course, status=Enrollment.Status.COMPLETED)

    response = auth_client(student).post(URL, {"course": course.pk})

    assert response.status_code == 409


def test_full_course_is_a_conflict(auth_client, student, make_course):
    course, _ = make_course(capacity=2)
    EnrollmentFactory(course=course)
    EnrollmentFactory(course=course, status=Enrollment.Status.COMPLETED)
    EnrollmentFactory(course=course, status=Enrollment.Status.CANCELLED)  # frees its seat

    response = auth_client(student).post(URL, {"course": course.pk})

    assert response.status_code == 409
    assert "full" in response.json()["detail"]


def test_a_cancelled_seat_is_free_again(auth_client, student, make_course):
    course, _ = make_course(capacity=1)
    EnrollmentFactory(course=course, status=Enrollment.Status.CANCELLED)

    response = auth_client(student).post(URL, {"course": course.pk})

    assert response.status_code == 201


def test_reenrolling_after_cancelling_reactivates_the_same_row(auth_client, student, make_course):
    course, lessons = make_course()
    enrollment = EnrollmentFactory(
        student=student, course=course, status=Enrollment.Status.CANCELLED
    )
    LessonProgressFactory(enrollment=enrollment, lesson=lessons[0])

    response = auth_client(student).post(URL, {"course": course.pk})

    assert response.status_code == 201
    assert response.json()["id"] == enrollment.pk
    assert response.json()["progress"]["completed_lessons"] == 1
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ACTIVE
    assert enrollment.cancelled_at is None


def test_unpublished_course_is_rejected(auth_client, student, make_course):
    course, _ = make_course(is_published=False)

    response = auth_client(student).post(URL, {"course": course.pk})

    assert response.status_code == 400
    assert "course" in response.json()
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize("body", [{}, {"course": "abc"}, {"course": 999999}, {"course": None}])
def test_bad_input_is_400(auth_client, student, body):
    response = auth_client(student).post(URL, body, format="json")

    assert response.status_code == 400
    assert "course" in response.json()


@pytest.mark.parametrize("role", ["instructor", "admin"])
def test_only_students_enroll(request, auth_client, role, make_course):
    course, _ = make_course()
    user = request.getfixturevalue(role)

    response = auth_client(user).post(URL, {"course": course.pk})

    assert response.status_code == 403
    assert not Enrollment.objects.exists()


def test_anonymous_cannot_enroll(api_client, make_course):
    course, _ = make_course()

    assert api_client.post(URL, {"course": course.pk}).status_code == 401


# --- GET enrollments/ ----------------------------------------------------------------


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_list_is_scoped_per_role(auth_client, student, other_student, instructor, admin):
    mine = EnrollmentFactory(student=student, course__instructor=instructor)
    theirs = EnrollmentFactory(student=other_student, course=mine.course)
    elsewhere = EnrollmentFactory(student=other_student)

    assert _ids(auth_client(student).get(URL)) == {mine.pk}
    assert _ids(auth_client(other_student).get(URL)) == {theirs.pk, elsewhere.pk}
    assert _ids(auth_client(instructor).get(URL)) == {mine.pk, theirs.pk}
    assert _ids(auth_client(admin).get(URL)) == {mine.pk, theirs.pk, elsewhere.pk}


def test_another_instructor_sees_none(auth_client, other_instructor, student):
    EnrollmentFactory(student=student)

    assert _ids(auth_client(other_instructor).get(URL)) == set()


def test_list_requires_authentication(api_client):
    assert api_client.get(URL).status_code == 401


def test_list_filters_by_course_and_status(auth_client, admin, make_course):
    course, _ = make_course()
    active = EnrollmentFactory(course=course)
    cancelled = EnrollmentFactory(course=course, status=Enrollment.Status.CANCELLED)
    EnrollmentFactory()
    client = auth_client(admin)

    assert _ids(client.get(URL, {"course_id": course.pk})) == {active.pk, cancelled.pk}
    assert _ids(client.get(URL, {"course_id": course.pk, "status": "cancelled"})) == {cancelled.pk}
    assert client.get(URL, {"status": "bogus"}).status_code == 400


def test_list_is_paginated_with_progress(auth_client, student, make_course):
    course, lessons = make_course(lessons=4)
    enrollment = EnrollmentFactory(student=student, course=course)
    LessonProgressFactory(enrollment=enrollment, lesson=lessons[0])

    body = auth_client(student).get(URL).json()

    assert set(body) == {"count", "next", "previous", "results"}
    assert body["results"][0]["progress"] == {
        "completed_lessons": 1,
        "total_lessons": 4,
        "percent": 25,
    }


@pytest.mark.parametrize("role", ["admin", "instructor", "student"])
def test_list_runs_a_constant_number_of_queries(
    request, auth_client, assert_constant_queries, make_course, role
):
    user = request.getfixturevalue(role)
    client = auth_client(user)

    def add_enrollment():
        course_fields = {"instructor": user} if role == "instructor" else {}
        course, lessons = make_course(lessons=2, **course_fields)
        student = user if role == "student" else StudentFactory()
        enrollment = EnrollmentFactory(course=course, student=student)
        LessonProgressFactory(enrollment=enrollment, lesson=lessons[0])

    def call():
        response = client.get(URL, {"page_size": 100})
        assert response.status_code == 200

    add_enrollment()
    assert_constant_queries(call, lambda: [add_enrollment() for _ in range(29)])
    assert client.get(URL, {"page_size": 100}).json()["count"] == 30


# --- GET / DELETE enrollments/{id}/ -------------------------------------------------


@pytest.fixture
def enrollment(student, instructor, make_course):
    course, lessons = make_course(lessons=3, instructor=instructor)
    enrollment = EnrollmentFactory(student=student, course=course)
    LessonProgressFactory(enrollment=enrollment, lesson=lessons[1])
    return enrollment


@pytest.mark.parametrize("role", ["student", "instructor", "admin"])
def test_owner_instructor_and_admin_read_an_enrollment(request, auth_client, enrollment, role):
    response = auth_client(request.getfixturevalue(role)).get(detail(enrollment))

    assert response.status_code == 200
    assert response.json()["progress"] == {
        "completed_lessons": 1,
        "total_lessons": 3,
        "percent": 33,
    }


@pytest.mark.parametrize("role", ["other_student", "other_instructor"])
def test_others_get_404_for_an_enrollment(request, auth_client, enrollment, role):
    response = auth_client(request.getfixturevalue(role)).get(detail(enrollment))

    assert response.status_code == 404


def test_anonymous_gets_401_for_an_enrollment(api_client, enrollment):
    assert api_client.get(detail(enrollment)).status_code == 401


@pytest.mark.parametrize("role", ["student", "admin"])
def test_owner_or_admin_cancels_and_content_access_ends(request, auth_client, enrollment, role):
    lesson_id = enrollment.course.modules.get().lessons.first().pk
    lesson_url = f"/api/v1/lessons/{lesson_id}/"
    assert auth_client(enrollment.student).get(lesson_url).status_code == 200

    response = auth_client(request.getfixturevalue(role)).delete(detail(enrollment))

    assert response.status_code == 204
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.CANCELLED
    assert enrollment.cancelled_at is not None
    assert not is_enrolled(enrollment.student, enrollment.course_id)
    assert auth_client(enrollment.student).get(lesson_url).status_code == 404


def test_cancelling_twice_is_harmless(auth_client, student, enrollment):
    client = auth_client(student)
    client.delete(detail(enrollment))

    assert client.delete(detail(enrollment)).status_code == 204


def test_course_instructor_cannot_cancel(auth_client, instructor, enrollment):
    response = auth_client(instructor).delete(detail(enrollment))

    assert response.status_code == 403
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ACTIVE


@pytest.mark.parametrize("role", ["other_student", "other_instructor"])
def test_others_cannot_cancel(request, auth_client, enrollment, role):
    response = auth_client(request.getfixturevalue(role)).delete(detail(enrollment))

    assert response.status_code == 404
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ACTIVE


def test_enrollments_cannot_be_edited(auth_client, student, enrollment):
    response = auth_client(student).patch(detail(enrollment), {"status": "completed"})

    assert response.status_code == 405
