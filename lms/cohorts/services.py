"""Announcements: posting one tells every enrollee (in bulk) and queues its emails."""

from itertools import islice

from django.db import transaction

from lms.courses.models import Course
from lms.enrollments.models import Enrollment
from lms.notifications.models import Notification
from lms.notifications.services import (
    notifications_create,
    notifications_rewrite,
    notifications_withdraw,
)

from .models import Announcement, AnnouncementRecipient
from .tasks import announcement_emails_queue

BATCH_SIZE = 1000


def _audience(course: Course):
    """The students an announcement reaches: active or completed enrollments."""
    return Enrollment.objects.filter(
        course=course, status__in=Enrollment.OPEN_STATUSES, student__is_active=True
    )


def _about(announcement: Announcement) -> dict:
    return {"announcement": announcement.pk}


def announcement_create(
    *, course: Course, author, title: str, body: str, send_email: bool = True
) -> Announcement:
    """Post an announcement: a notification for every enrollee, emails after commit."""
    with transaction.atomic():
        announcement = Announcement.objects.create(
            course=course, author=author, title=title, body=body, send_email=send_email
        )
        audience = _audience(course)
        notifications_create(
            user_ids=list(audience.values_list("student_id", flat=True)),
            kind=Notification.Kind.ANNOUNCEMENT,
            title=title,
            body=body,
            data={**_about(announcement), "course": course.pk, "course_title": course.title},
        )
        if send_email:
            emailed = iter(
                list(
                    audience.filter(student__email_notifications=True)
                    .order_by("student_id")
                    .values_list("student_id", flat=True)
                )
            )
            while batch := list(islice(emailed, BATCH_SIZE)):
                AnnouncementRecipient.objects.bulk_create(
                    [AnnouncementRecipient(announcement=announcement, user_id=i) for i in batch]
                )
            announcement_emails_queue(announcement_id=announcement.pk)
    return announcement


def announcement_update(*, announcement: Announcement, data: dict) -> Announcement:
    """Edit the title or body; the notifications already told say the new text too."""
    with transaction.atomic():
        for name in ("title", "body"):
            if name in data:
                setattr(announcement, name, data[name])
        announcement.save(update_fields=["title", "body", "updated_at"])
        notifications_rewrite(
            kind=Notification.Kind.ANNOUNCEMENT,
            about=_about(announcement),
            title=announcement.title,
            body=announcement.body,
        )
    return announcement


def announcement_delete(*, announcement: Announcement) -> None:
    """Withdraw an announcement, its notifications and its emails not yet sent."""
    with transaction.atomic():
        notifications_withdraw(kind=Notification.Kind.ANNOUNCEMENT, about=_about(announcement))
        announcement.delete()
