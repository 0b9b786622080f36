"""Announcement emails through a real SMTP conversation on loopback: failures and retries."""

import email
import smtplib

import pytest

from lms.cohorts.delivery import announcement_emails_deliver
from lms.cohorts.models import Announcement, AnnouncementRecipient
from lms.cohorts.services import announcement_create
from lms.cohorts.tasks import announcement_emails_send
from lms.common.tests.loopback import free_port, smtp_serve
from lms.notifications.models import Notification

from .conftest import enroll

pytestmark = pytest.mark.django_db


class FlakyInbox:
    """Accepts every message except the attempts numbered in `refuse` (451, try later)."""

    def __init__(self, refuse=()):
        self.refuse = set(refuse)
        self.attempts = 0
        self.to: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.attempts in self.refuse:
            return "451 Try again later"
        self.to.extend(email.message_from_bytes(envelope.original_content).get_all("To"))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    controllers = []

    def start(**kwargs) -> FlakyInbox:
        inbox = FlakyInbox(**kwargs)
        controller = smtp_serve(settings, inbox)
        controllers.append(controller)
        return inbox

    yield start
    for controller in controllers:
        controller.stop()


def posted(course, instructor, n=3):
    """An announcement to `n` enrollees whose emails are still to send (not yet dispatched)."""
    for i in range(n):
        enroll(course, email=f"s{i}@example.com")
    return announcement_create(course=course, author=instructor, title="Hi", body="Welcome.")


def test_a_delivery_that_fails_halfway_resumes_without_sending_twice(smtp, course, instructor):
    inbox = smtp(refuse={2})
    announcement = posted(course, instructor)
    # the server refuses the second email: the delivery stops, the first is marked sent
    with pytest.raises(smtplib.SMTPException):
        announcement_emails_deliver(announcement_id=announcement.pk)
    assert inbox.to == ["s0@example.com"]
    assert AnnouncementRecipient.objects.filter(handled_at__isnull=False).count() == 1
    # the retry sends the others only
    assert announcement_emails_deliver(announcement_id=announcement.pk) == 2
    assert sorted(inbox.to) == ["s0@example.com", "s1@example.com", "s2@example.com"]
    # and a third run sends nothing
    assert announcement_emails_deliver(announcement_id=announcement.pk) == 0
    assert len(inbox.to) == 3


def test_the_celery_task_retries_and_each_student_gets_one_email(smtp, course, instructor):
    inbox = smtp(refuse={2, 4})
    announcement = posted(course, instructor)
    announcement_emails_send.apply(kwargs={"announcement_id": announcement.pk})
    assert sorted(inbox.to) == ["s0@example.com", "s1@example.com", "s2@example.com"]
    assert not AnnouncementRecipient.objects.filter(handled_at__isnull=True).exists()


def test_a_student_who_turned_emails_off_meanwhile_is_skipped(smtp, course, instructor):
    inbox = smtp()
    announcement = posted(course, instructor)
    quiet = AnnouncementRecipient.objects.get(user__email="s1@example.com").user
    quiet.email_notifications = False
    quiet.save()
    assert announcement_emails_deliver(announcement_id=announcement.pk) == 2
    assert sorted(inbox.to) == ["s0@example.com", "s2@example.com"]


def test_a_dead_mail_server_never_fails_the_request(
    settings, auth_client, instructor, course, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_TIMEOUT = 2
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 0.01
    enroll(course)
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client(instructor).post(
            f"/api/v1/courses/{course.pk}/announcements/",
            {"title": "Still here", "body": "Even without mail."},
            format="json",
        )
    assert response.status_code == 201
    assert Announcement.objects.count() == 1
    assert Notification.objects.filter(kind="announcement").count() == 1


def test_through_the_api_a_flaky_server_still_delivers_once_each(
    smtp, auth_client, instructor, course, django_capture_on_commit_callbacks
):
    inbox = smtp(refuse={1, 3})
    for i in range(3):
        enroll(course, email=f"s{i}@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client(instructor).post(
            f"/api/v1/courses/{course.pk}/announcements/",
            {"title": "Hi", "body": "Welcome."},
            format="json",
        )
    assert response.status_code == 201
    assert sorted(inbox.to) == ["s0@example.com", "s1@example.com", "s2@example.com"]
