"""A notification: one thing a user is told, read or not yet."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from lms.common.models import BaseModel


class Notification(BaseModel):
    """One message in a user's in-app inbox."""

    class Kind(models.TextChoices):
        ANNOUNCEMENT = "announcement", "Announcement"
        ENROLLMENT_ACTIVATED = "enrollment_activated", "Enrollment activated"
        CERTIFICATE_ISSUED = "certificate_issued", "Certificate issued"
        SUBMISSION_GRADED = "submission_graded", "Submission graded"
        PAYMENT_REFUNDED = "payment_refunded", "Payment refunded"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="notification_inbox"),
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}: {self.title}"
