"""Invitations to a person's address are in their export and gone after erasure."""

import pytest

from lms.cohorts.models import Invitation
from lms.courses.tests.factories import CourseFactory
from lms.users.tests.factories import DEFAULT_PASSWORD, StudentFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/users/me/"


def test_invitations_are_exported_and_erased(auth_client):
    student = StudentFactory(email="ada@example.com")
    course = CourseFactory()
    Invitation.objects.create(course=course, email="ada@example.com", cohort="fall")
    other = Invitation.objects.create(course=course, email="someone@example.com")
    client = auth_client(student)

    exported = client.get(f"{API}export/").json()
    assert [(i["course"], i["cohort"]) for i in exported["invitations"]] == [(course.pk, "fall")]

    assert (
        client.post(f"{API}erase/", {"password": DEFAULT_PASSWORD}, format="json").status_code
        == 200
    )
    assert list(Invitation.objects.all()) == [other]
