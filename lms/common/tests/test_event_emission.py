"""Each change the contract names as an event type is announced, once, with its data."""

from decimal import Decimal

import pytest

from lms.courses.tests.factories import CourseFactory, LessonFactory, ModuleFactory
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.payments.tests.factories import PaymentFactory
from lms.quizzes.tests.factories import quiz_with_every_kind

API = "/api/v1/"

pytestmark = pytest.mark.django_db


def types(heard):
    return [event.type for event in heard]


def test_registering_announces_the_new_user(
    api_client, events_heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            f"{API}users/register/",
            {
                "email": "new@example.com",
                "password": "a-long-Pass-123",
                "first_name": "N",
                "last_name": "U",
            },
            format="json",
        )
    assert response.status_code == 201
    assert types(events_heard) == ["user.registered"]
    user = events_heard[0].data["user"]
    assert (user["id"], user["email"], user["role"], user["via"]) == (
        response.json()["id"],
        "new@example.com",
        "student",
        "password",
    )


def test_enrolling_cancelling_and_completing_are_announced(
    auth_client, student, events_heard, django_capture_on_commit_callbacks
):
    course = CourseFactory(is_published=True, price=Decimal("0"))
    lesson = LessonFactory(module=ModuleFactory(course=course))
    client = auth_client(student)
    with django_capture_on_commit_callbacks(execute=True):
        enrolled = client.post(f"{API}enrollments/", {"course": course.pk}, format="json")
    assert enrolled.status_code == 201
    assert types(events_heard) == ["enrollment.created"]
    data = events_heard[0].data["enrollment"]
    assert (data["id"], data["student"], data["course"], data["status"], data["source"]) == (
        enrolled.json()["id"],
        student.pk,
        course.pk,
        "active",
        "self",
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{API}lessons/{lesson.pk}/complete/").status_code == 200
    assert types(events_heard)[1:] == ["enrollment.completed", "certificate.issued"]
    certificate = events_heard[2].data["certificate"]
    assert (certificate["student"], certificate["course"]) == (student.pk, course.pk)

    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"{API}enrollments/{data['id']}/").status_code in (200, 204)
    assert types(events_heard)[3:] == ["enrollment.cancelled"]


def test_a_refused_enrollment_announces_nothing(auth_client, student, events_heard):
    course = CourseFactory(is_published=True, price=Decimal("10"))
    response = auth_client(student).post(f"{API}enrollments/", {"course": course.pk}, format="json")
    assert response.status_code == 402
    assert events_heard == []


def test_confirming_and_refunding_a_payment_are_announced(
    auth_client, admin, events_heard, django_capture_on_commit_callbacks
):
    payment = PaymentFactory(course=CourseFactory(is_published=True, price=Decimal("49.00")))
    client = auth_client(admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{API}payments/{payment.pk}/confirm/").status_code == 200
    assert types(events_heard) == ["enrollment.created", "payment.succeeded"]
    assert events_heard[0].data["enrollment"]["source"] == "payment"
    paid = events_heard[1].data["payment"]
    assert (paid["id"], paid["amount"], paid["status"]) == (payment.pk, "49.00", "succeeded")

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{API}payments/{payment.pk}/refund/").status_code == 200
    assert types(events_heard)[2:] == ["payment.refunded", "enrollment.cancelled"]


def test_grading_is_announced_with_who_graded(
    auth_client, instructor, events_heard, django_capture_on_commit_callbacks
):
    course = CourseFactory(instructor=instructor, is_published=True)
    quiz = quiz_with_every_kind(course=course)
    student = EnrollmentFactory(course=course).student
    short = quiz.questions.get(kind="short_answer")
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client(student).post(
            f"{API}quizzes/{quiz.pk}/submit/",
            {"answers": [{"question": short.pk, "text": "not an accepted answer"}]},
            format="json",
        )
    assert response.status_code == 201, response.json()
    assert types(events_heard) == ["submission.graded"]
    graded = events_heard[0].data["submission"]
    assert (graded["id"], graded["quiz"], graded["course"], graded["graded_by"]) == (
        response.json()["id"],
        quiz.pk,
        course.pk,
        "auto",
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client(instructor).patch(
            f"{API}quiz-submissions/{graded['id']}/grade/",
            {"answers": [{"question": short.pk, "points": 1}]},
            format="json",
        )
    assert response.status_code == 200, response.json()
    assert types(events_heard)[1:] == ["submission.graded"]
    assert events_heard[1].data["submission"]["graded_by"] == "instructor"
