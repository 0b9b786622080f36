"""`email_notifications` on `users/me/`: shown, edited by the user, respected by emails."""

from decimal import Decimal

import pytest
from django.core import mail

from lms.courses.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/users/me/"


def test_me_shows_and_edits_the_preference(auth_client, student):
    client = auth_client(student)
    assert client.get(ME).json()["email_notifications"] is True
    response = client.patch(ME, {"email_notifications": False}, format="json")
    assert response.status_code == 200
    assert response.json()["email_notifications"] is False
    student.refresh_from_db()
    assert student.email_notifications is False
    # a form that leaves the field out does not turn it off (nor on)
    assert client.patch(ME, {"first_name": "Ana"}, format="multipart").status_code == 200
    student.refresh_from_db()
    assert student.email_notifications is False


@pytest.mark.parametrize("value", ["perhaps", 0, "0", "", None])
def test_a_bad_value_is_400_and_changes_nothing(auth_client, student, value):
    response = auth_client(student).patch(ME, {"email_notifications": value}, format="json")
    assert response.status_code == 400
    assert "email_notifications" in response.json()
    student.refresh_from_db()
    assert student.email_notifications is True


def test_enrollment_email_respects_it_but_the_notification_still_comes(
    auth_client, student, django_capture_on_commit_callbacks
):
    student.email_notifications = False
    student.save()
    course = CourseFactory(is_published=True, price=Decimal("0"))
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client(student).post(
            "/api/v1/enrollments/", {"course": course.pk}, format="json"
        )
    assert response.status_code == 201
    assert mail.outbox == []
    assert student.notifications.get().kind == "enrollment_activated"
