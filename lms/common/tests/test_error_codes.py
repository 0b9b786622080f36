"""Every non-field error names its reason with a stable `code` beside `detail`."""

from decimal import Decimal

import pytest

from lms.courses.tests.factories import CourseFactory
from lms.enrollments.tests.factories import EnrollmentFactory

API = "/api/v1/"

pytestmark = pytest.mark.django_db


def error(response) -> tuple[int, str]:
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"], body
    return response.status_code, body["code"]


def test_framework_errors_carry_their_code(api_client, auth_client, student):
    assert error(api_client.get(f"{API}enrollments/")) == (401, "not_authenticated")
    assert error(api_client.get(f"{API}no-such-route/")) == (404, "not_found")
    assert error(api_client.get(f"{API}certificates/verify/nope/")) == (404, "not_found")
    assert error(auth_client(student).get(f"{API}enrollments/999999/")) == (404, "not_found")
    assert error(auth_client(student).get(f"{API}users/")) == (403, "permission_denied")
    assert error(api_client.post(f"{API}certificates/verify/abc/")) == (405, "method_not_allowed")
    bad_token = api_client.get(f"{API}users/me/", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert error(bad_token) == (401, "token_not_valid")


def test_rule_refusals_carry_the_rule_code(auth_client, student):
    client = auth_client(student)
    enrolled = EnrollmentFactory(student=student, course=CourseFactory(is_published=True))
    full = CourseFactory(is_published=True, capacity=1)
    EnrollmentFactory(course=full)
    paid = CourseFactory(is_published=True, price=Decimal("20"))

    again = client.post(f"{API}enrollments/", {"course": enrolled.course_id}, format="json")
    assert error(again) == (409, "already_enrolled")
    no_room = client.post(f"{API}enrollments/", {"course": full.pk}, format="json")
    assert error(no_room) == (409, "course_full")
    to_pay = client.post(f"{API}enrollments/", {"course": paid.pk}, format="json")
    assert error(to_pay) == (402, "payment_required")
    assert to_pay.json()["amount"] == "20.00"


def test_field_errors_keep_their_shape(auth_client, student):
    response = auth_client(student).post(f"{API}enrollments/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"course": ["This field is required."]}


def test_boolean_inputs_take_booleans_only(auth_client, student):
    client = auth_client(student)
    assert client.get(f"{API}notifications/", {"unread": ""}).status_code == 400
    assert client.get(f"{API}notifications/", {"unread": "maybe"}).status_code == 400
    assert client.get(f"{API}notifications/", {"unread": "true"}).status_code == 200
    refused = client.patch(f"{API}users/me/", {"email_notifications": 0}, format="json")
    assert refused.status_code == 400 and "email_notifications" in refused.json()
    kept = client.patch(f"{API}users/me/", {"email_notifications": False}, format="json")
    assert (kept.status_code, kept.json()["email_notifications"]) == (200, False)
    as_form = client.patch(f"{API}users/me/", {"email_notifications": "true"}, format="multipart")
    assert (as_form.status_code, as_form.json()["email_notifications"]) == (200, True)
    as_form_number = client.patch(
        f"{API}users/me/", {"email_notifications": "0"}, format="multipart"
    )
    assert as_form_number.status_code == 400
