"""Announcements to a course's students, and who still has to get one by email."""

from django.conf import settings
from django.db import models

from lms.common.models import BaseModel


class Announcement(BaseModel):
    """A message from a course's instructor (or an admin) to everyone learning in it."""

    course = models.ForeignKey(
        "courses.Course", on_delete=models.CASCADE, related_name="announcements"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="announcements",
    )
    title = models.CharField(max_length=200)
    body = models.TextField()
    send_email = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["course", "-created_at", "-id"])]

    def __str__(self) -> str:
        return self.title


class AnnouncementRecipient(models.Model):
    """One enrollee an announcement is emailed to; `handled_at` set once sent (or skipped).

    Batches of emails mark their recipients as they go, so a retried delivery picks up
    where the failed one stopped and nobody gets the email twice.
    """

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="recipients"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "user"], name="announcement_recipient_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} for announcement {self.announcement_id}"


class Invitation(BaseModel):
    """An address bulk-enrolled before it had an account: enrolled when one appears."""

    course = models.ForeignKey("courses.Course", on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(db_index=True, help_text="Lower-case.")
    cohort = models.CharField(max_length=100, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    job = models.ForeignKey("jobs.Job", on_delete=models.SET_NULL, null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "email"], name="invitation_once_per_course")
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.course_id}"
