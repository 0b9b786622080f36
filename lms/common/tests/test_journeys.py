"""End-to-end journeys through the HTTP API only, as the issues' "Done when" sections describe."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from lms.courses.tests.factories import (
    ContentItemFactory,
    CourseFactory,
    LessonFactory,
    ModuleFactory,
)
from lms.quizzes.tests.factories import quiz_with_every_kind
from lms.users.tests.factories import AdminFactory, InstructorFactory, StudentFactory

from .helpers import API, PDF_BYTES, content_of, correct_answers, login, path_of, results

pytestmark = pytest.mark.django_db

PASSWORD = "plum-orchard-ladder-71"


@pytest.fixture
def free_course(db):
    """A published free course: two modules, three lessons with items, a published quiz."""
    instructor = InstructorFactory()
    course = CourseFactory(instructor=instructor, title="Python from zero", slug="py-zero")
    first = ModuleFactory(course=course, order=1, title="Basics")
    second = ModuleFactory(course=course, order=2, title="More")
    lessons = [
        LessonFactory(module=first, order=1, title="Hello", is_preview=True),
        LessonFactory(module=first, order=2, title="Variables"),
        LessonFactory(module=second, order=1, title="Functions"),
    ]
    for lesson in lessons:
        ContentItemFactory(lesson=lesson, order=1)
    quiz_with_every_kind(course=course, title="Final check")
    return course


def test_student_journey_from_registration_to_a_verified_certificate(
    settings, deliver, mailoutbox, free_course
):
    assert settings.DEBUG is False
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    anonymous = APIClient()

    # Register: a student, whatever role is sent; a verification link is mailed
    response = deliver(
        lambda: anonymous.post(
            f"{API}users/register/",
            {
                "email": "kim@example.com",
                "password": PASSWORD,
                "first_name": "Kim",
                "last_name": "Lee",
                "role": "admin",
            },
        )
    )
    assert response.status_code == 201, response.content
    assert response.json()["role"] == "student"
    assert "password" not in response.json()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["kim@example.com"]
    match = re.search(re.escape(settings.FRONTEND_URL) + r"/verify-email/(\S+)", mailoutbox[0].body)
    assert match, mailoutbox[0].body
    key = match.group(1).strip("/")

    # Unverified: no tokens; the mailed key verifies the address
    refused = anonymous.post(
        f"{API}users/login/", {"email": "kim@example.com", "password": PASSWORD}
    )
    assert refused.status_code == 403
    assert "access" not in refused.json()
    assert anonymous.post(f"{API}users/verify-email/", {"key": key}).status_code == 200

    # Log in, then refresh: a new pair, and the old refresh is dead
    client, tokens = login("kim@example.com", PASSWORD)
    assert tokens["user"]["email"] == "kim@example.com"
    refreshed = anonymous.post(f"{API}token/refresh/", {"refresh": tokens["refresh"]})
    assert refreshed.status_code == 200
    assert set(refreshed.json()) >= {"access", "refresh"}
    assert refreshed.json()["refresh"] != tokens["refresh"]
    again = anonymous.post(f"{API}token/refresh/", {"refresh": tokens["refresh"]})
    assert again.status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {refreshed.json()['access']}")
    # (the pre-existing factory accounts below have no verified address record)
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"

    # Read and edit the profile; the role cannot be raised
    me = client.get(f"{API}users/me/")
    assert me.status_code == 200
    assert me.json()["role"] == "student"
    edited = client.patch(f"{API}users/me/", {"first_name": "Kimberly", "cohort": "2026-fall"})
    assert edited.status_code == 200, edited.content
    assert client.get(f"{API}users/me/").json()["first_name"] == "Kimberly"
    assert client.patch(f"{API}users/me/", {"role": "admin"}).status_code == 400
    assert client.get(f"{API}users/me/").json()["role"] == "student"

    # Browse the catalog and the outline (no lesson content in it)
    catalog = results(anonymous.get(f"{API}courses/", {"search": "python"}))
    course = next(c for c in catalog if c["slug"] == "py-zero")
    assert course["is_free"] is True
    outline = anonymous.get(f"{API}courses/{course['id']}/outline/")
    assert outline.status_code == 200
    outline_lessons = [
        lesson for module in outline.json()["modules"] for lesson in module["lessons"]
    ]
    assert [lesson["title"] for lesson in outline_lessons] == ["Hello", "Variables", "Functions"]
    assert all("content" not in lesson for lesson in outline_lessons)

    # Before enrolling, a closed lesson is not readable
    closed = next(lesson for lesson in outline_lessons if not lesson["is_preview"])
    assert client.get(f"{API}lessons/{closed['id']}/").status_code == 404

    # Enroll in the free course
    enrolled = deliver(lambda: client.post(f"{API}enrollments/", {"course": course["id"]}))
    assert enrolled.status_code == 201, enrolled.content
    enrollment_id = enrolled.json()["id"]
    assert enrolled.json()["status"] == "active"
    assert client.post(f"{API}enrollments/", {"course": course["id"]}).status_code == 409

    # Read every lesson and its content items, completing each
    lessons = results(client.get(f"{API}lessons/", {"course_id": course["id"]}))
    assert len(lessons) == 3
    progress = None
    for lesson in lessons:
        assert client.get(f"{API}lessons/{lesson['id']}/").status_code == 200
        items = results(client.get(f"{API}content-items/", {"lesson_id": lesson["id"]}))
        assert len(items) == 1
        assert client.get(f"{API}content-items/{items[0]['id']}/").status_code == 200
        progress = deliver(lambda lid=lesson["id"]: client.post(f"{API}lessons/{lid}/complete/"))
        assert progress.status_code == 200, progress.content
    assert progress.json()["percent"] == 100
    # Completing again is idempotent
    again = client.post(f"{API}lessons/{lessons[0]['id']}/complete/")
    assert again.status_code == 200
    assert again.json()["percent"] == 100

    # Lessons are done but the quiz is not passed: not completed yet, no certificate
    status = client.get(f"{API}courses/{course['id']}/progress/").json()
    assert (status["percent"], status["completed"]) == (100, False)
    assert (status["quizzes_passed"], status["quizzes_required"]) == (0, 1)
    assert client.get(f"{API}enrollments/{enrollment_id}/").json()["status"] == "active"
    assert results(client.get(f"{API}certificates/")) == []

    # Take the published quiz: the student's view hides the answers
    (quiz,) = results(client.get(f"{API}quizzes/", {"course_id": course["id"]}))
    student_view = client.get(f"{API}quizzes/{quiz['id']}/").json()
    assert "accepted_answers" not in str(student_view)
    assert "is_correct" not in str(student_view)
    instructor_client, _ = login(free_course.instructor.email)
    questions = instructor_client.get(f"{API}quizzes/{quiz['id']}/").json()["questions"]
    assert {q["kind"] for q in questions} == {
        "single_choice",
        "multiple_choice",
        "true_false",
        "short_answer",
    }
    started = client.post(f"{API}quizzes/{quiz['id']}/start/")
    assert started.status_code == 201, started.content
    submitted = deliver(
        lambda: client.post(
            f"{API}quizzes/{quiz['id']}/submit/",
            {
                "submission_id": started.json()["submission_id"],
                "answers": correct_answers(questions),
            },
            format="json",
        )
    )
    assert submitted.status_code == 201, submitted.content
    assert submitted.json()["passed"] is True
    assert submitted.json()["percent"] == 100

    # The course is completed, with one certificate
    assert client.get(f"{API}enrollments/{enrollment_id}/").json()["status"] == "completed"
    assert client.get(f"{API}courses/{course['id']}/progress/").json()["completed"] is True
    (certificate,) = results(client.get(f"{API}certificates/"))
    pdf = client.get(f"{API}certificates/{certificate['id']}/pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert content_of(pdf).startswith(b"%PDF-")

    # Anyone verifies the code; nobody else downloads the PDF
    verified = anonymous.get(f"{API}certificates/verify/{certificate['code']}/")
    assert verified.status_code == 200
    assert verified.json()["course_title"] == "Python from zero"
    assert verified.json()["student_name"].startswith("Kimberly")
    other, _ = login(StudentFactory().email)
    assert other.get(f"{API}certificates/{certificate['id']}/pdf/").status_code == 404
    assert anonymous.get(f"{API}certificates/{certificate['id']}/pdf/").status_code == 401
    assert anonymous.get(f"{API}certificates/verify/{'x' * 24}/").status_code == 404


def test_paid_course_through_the_manual_provider_from_402_to_refund(deliver, mailoutbox):
    course = CourseFactory(title="REST APIs", price=Decimal("49.00"), currency="USD", capacity=30)
    lesson = LessonFactory(module=ModuleFactory(course=course, order=1), order=1)
    item = ContentItemFactory(lesson=lesson, order=1)
    student, _ = login(StudentFactory().email)
    admin, _ = login(AdminFactory().email)
    handout = login(course.instructor.email)[0].post(
        f"{API}content-items/",
        {
            "lesson": lesson.pk,
            "kind": "pdf",
            "title": "Handout",
            "file": SimpleUploadedFile("handout.pdf", PDF_BYTES, content_type="application/pdf"),
        },
        format="multipart",
    )
    assert handout.status_code == 201, handout.content

    # Enrolling in a paid course asks for payment and points at the checkout
    refused = student.post(f"{API}enrollments/", {"course": course.pk})
    assert refused.status_code == 402, refused.content
    body = refused.json()
    assert (Decimal(body["amount"]), body["currency"]) == (Decimal("49.00"), "USD")
    checkout_path = body["checkout"]
    assert "payments/checkout/" in checkout_path
    assert results(student.get(f"{API}enrollments/")) == []

    # Checkout: a pending payment at the course's price, whatever amount the client sends
    checkout = student.post(
        path_of(checkout_path),
        {"course": course.pk, "amount": "0.01", "currency": "EUR", "status": "succeeded"},
    )
    assert checkout.status_code == 201, checkout.content
    payment = checkout.json()
    assert payment["status"] == "pending"
    assert (Decimal(payment["amount"]), payment["currency"]) == (Decimal("49.00"), "USD")
    assert payment["provider"] == "manual"
    assert f"PAY-{payment['id']}" in payment["instructions"]
    # Still no access while pending; the student cannot confirm their own payment
    assert student.get(f"{API}lessons/{lesson.pk}/").status_code == 404
    assert student.post(f"{API}payments/{payment['id']}/confirm/").status_code == 403
    assert student.get(f"{API}payments/{payment['id']}/").json()["status"] == "pending"

    # The admin confirms: the student is enrolled (once) and reads the content
    confirmed = deliver(lambda: admin.post(f"{API}payments/{payment['id']}/confirm/"))
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == "succeeded"
    assert admin.post(f"{API}payments/{payment['id']}/confirm/").status_code == 409
    (enrollment,) = results(student.get(f"{API}enrollments/"))
    assert (enrollment["status"], enrollment["course"]["id"]) == ("active", course.pk)
    assert student.get(f"{API}lessons/{lesson.pk}/").status_code == 200
    readable = student.get(f"{API}content-items/{item.pk}/")
    assert readable.status_code == 200
    assert student.get(f"{API}content-items/", {"lesson_id": lesson.pk}).json()["count"] == 2
    link = student.get(f"{API}content-items/{handout.json()['id']}/").json()["file"]
    assert content_of(APIClient().get(path_of(link))) == PDF_BYTES
    assert any("REST APIs" in message.subject for message in mailoutbox)

    # The admin refunds: the enrollment is cancelled and the content closes again
    refunded = deliver(lambda: admin.post(f"{API}payments/{payment['id']}/refund/"))
    assert refunded.status_code == 200, refunded.content
    assert refunded.json()["status"] == "refunded"
    assert student.get(f"{API}payments/{payment['id']}/").json()["status"] == "refunded"
    assert student.get(f"{API}enrollments/{enrollment['id']}/").json()["status"] == "cancelled"
    assert student.get(f"{API}lessons/{lesson.pk}/").status_code == 404
    assert student.get(f"{API}content-items/{item.pk}/").status_code == 404
    assert student.get(f"{API}lessons/", {"course_id": course.pk}).status_code == 403
    assert student.post(f"{API}lessons/{lesson.pk}/complete/").status_code == 404
    # The signed link handed out while enrolled re-checks access and no longer serves the file
    stale = APIClient().get(path_of(link))
    assert stale.status_code == 404
    assert b"%PDF" not in content_of(stale)
    # After a refund, enrolling asks for payment again
    assert student.post(f"{API}enrollments/", {"course": course.pk}).status_code == 402
