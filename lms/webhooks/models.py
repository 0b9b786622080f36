"""WebhookEndpoint (where to send which events) and Delivery (one event to one endpoint)."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from lms.common.models import BaseModel

ALL_EVENTS = "*"


class WebhookEndpoint(BaseModel):
    """A URL that receives the chosen event types (or every one: `["*"]`), signed with `secret`."""

    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    is_active = models.BooleanField(default=True)
    description = models.CharField(max_length=200, blank=True)
    # Kept as is: signing needs the secret itself (a hash would not do). It never leaves
    # the API after create/rotate, and the Django admin does not show it.
    secret = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.url

    def listens_to(self, event_type: str) -> bool:
        return ALL_EVENTS in self.events or event_type in self.events


class Delivery(BaseModel):
    """One event for one endpoint: its attempts so far, the last answer and the next try."""

    class Status(models.TextChoices):
        PENDING = "pending", "pending"  # waiting for its first (or a re-) send
        SENDING = "sending", "sending"  # claimed by a worker until `claimed_until`
        RETRYING = "retrying", "retrying"  # failed; tried again at `next_retry_at`
        SUCCEEDED = "succeeded", "succeeded"  # acknowledged (2xx): never sent again
        FAILED = "failed", "failed"  # every attempt failed; only a redeliver sends it again

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.CharField(max_length=64, db_index=True)
    event_type = models.CharField(max_length=64)
    payload = models.JSONField(encoder=DjangoJSONEncoder)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempt = models.PositiveSmallIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=200, blank=True)
    attempts = models.JSONField(default=list, blank=True)
    next_retry_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(fields=["status", "next_retry_at"], name="webhooks_delivery_due_idx"),
            models.Index(
                fields=["endpoint", "-created_at", "-id"], name="webhooks_delivery_log_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} → endpoint {self.endpoint_id} ({self.status})"
