"""The Django admin: announcements written through the services, notifications read-only."""

import pytest
from django.test import Client

from lms.cohorts.models import Announcement
from lms.notifications.tests.factories import NotificationFactory

from .conftest import enroll

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(admin):
    client = Client()
    client.force_login(admin)
    return client


def test_posting_from_the_admin_tells_the_enrollees(
    site, course, django_capture_on_commit_callbacks
):
    learner = enroll(course).student
    with django_capture_on_commit_callbacks(execute=True):
        response = site.post(
            "/admin/cohorts/announcement/add/",
            {
                "course": course.pk,
                "title": "From the admin",
                "body": "Hello",
                "send_email": "",
                "recipients-TOTAL_FORMS": "0",
                "recipients-INITIAL_FORMS": "0",
            },
        )
    assert response.status_code == 302, response.content[:2000]
    announcement = Announcement.objects.get()
    assert announcement.send_email is False
    assert learner.notifications.get().title == "From the admin"
    assert site.get(f"/admin/cohorts/announcement/{announcement.pk}/change/").status_code == 200
    assert site.get("/admin/cohorts/announcement/").status_code == 200


def test_notifications_are_read_only_in_the_admin(site):
    notification = NotificationFactory()
    assert site.get("/admin/notifications/notification/").status_code == 200
    assert (
        site.get(f"/admin/notifications/notification/{notification.pk}/change/").status_code == 200
    )
    assert site.get("/admin/notifications/notification/add/").status_code == 403
    site.post(f"/admin/notifications/notification/{notification.pk}/change/", {"title": "x"})
    notification.refresh_from_db()
    assert notification.title != "x"
