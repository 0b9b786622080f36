"""Domain events that concern a student land in their inbox; the others do not."""

from decimal import Decimal

import pytest

from lms.courses.tests.factories import CourseFactory, LessonFactory, ModuleFactory
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.notifications.models import Notification
from lms.payments.tests.factories import PaymentFactory
from lms.quizzes.tests.factories import quiz_with_every_kind

API = "/api/v1/"

pytestmark = pytest.mark.django_db


def kinds(user):
    return list(
        Notification.objects.filter(user=user).order_by("id").values_list("kind", flat=True)
    )


def test_enrolling_and_completing_notify_the_student(
    auth_client, student, django_capture_on_commit_callbacks
):
    course = CourseFactory(is_published=True, price=Decimal("0"), title="Rust")
    lesson = LessonFactory(module=ModuleFactory(course=course))
    client = auth_client(student)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{API}enrollments/", {"course": course.pk}).status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{API}lessons/{lesson.pk}/complete/").status_code == 200
    assert kinds(student) == ["enrollment_activated", "certificate_issued"]
    activated = Notification.objects.filter(user=student).order_by("id").first()
    assert activated.title == "You are enrolled in Rust"
    assert activated.data["course"] == course.pk


def test_a_rolled_back_enrollment_notifies_nobody(auth_client, student):
    course = CourseFactory(is_published=True, price=Decimal("10"))
    assert auth_client(student).post(f"{API}enrollments/", {"course": course.pk}).status_code == 402
    assert kinds(student) == []


def test_a_refund_notifies_the_payer(auth_client, admin, django_capture_on_commit_callbacks):
    payment = PaymentFactory(course=CourseFactory(is_published=True, price=Decimal("49.00")))
    client = auth_client(admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{API}payments/{payment.pk}/confirm/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{API}payments/{payment.pk}/refund/").status_code == 200
    assert kinds(payment.student) == ["enrollment_activated", "payment_refunded"]
    refunded = Notification.objects.get(user=payment.student, kind="payment_refunded")
    assert refunded.data["amount"] == "49.00"
    assert kinds(admin) == []


def test_only_a_manual_grading_notifies(
    auth_client, instructor, django_capture_on_commit_callbacks
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
    assert response.status_code == 201
    assert kinds(student) == []  # graded automatically: the answer told them already
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client(instructor).patch(
            f"{API}quiz-submissions/{response.json()['id']}/grade/",
            {"answers": [{"question": short.pk, "points": 1}]},
            format="json",
        )
    assert response.status_code == 200
    assert kinds(student) == ["submission_graded"]
    graded = Notification.objects.get(user=student)
    assert graded.data["quiz"] == quiz.pk and graded.data["submission"] == response.json()["id"]
