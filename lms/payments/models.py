"""Payments for paid courses and the provider events already processed."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from lms.common.models import BaseModel


class Payment(BaseModel):
    """A student's payment for one course, at the course's price when checkout began."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        REFUNDED = "refunded", "Refunded"

    class Provider(models.TextChoices):
        MANUAL = "manual", "Manual (offline)"
        STRIPE = "stripe", "Stripe"

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments"
    )
    course = models.ForeignKey("courses.Course", on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3)
    provider = models.CharField(max_length=20, choices=Provider.choices)
    #: The provider's id for the checkout (a Stripe Checkout Session id).
    provider_reference = models.CharField(max_length=255, blank=True, db_index=True)
    #: The provider's id for the money movement (a Stripe PaymentIntent id), once known.
    provider_payment_id = models.CharField(max_length=255, blank=True, db_index=True)
    checkout_url = models.URLField(max_length=2000, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.CharField(max_length=255, blank=True)
    #: The money arrived but grants no enrollment (course gone, full, already paid for,
    #: provider data mismatch...): an admin must refund it. `failure_reason` says why.
    refund_due = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["student", "course", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            # A student has at most one open checkout per course; checkout reuses it.
            models.UniqueConstraint(
                fields=["student", "course"],
                condition=Q(status="pending"),
                name="payment_one_pending_per_course",
            ),
            # A student holds at most one payment that grants a course: the money rule
            # "never charged twice" held by the database, whatever the race.
            models.UniqueConstraint(
                fields=["student", "course"],
                condition=Q(status="succeeded", refund_due=False),
                name="payment_one_standing_per_course",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.amount} {self.currency} ({self.status})"

    @property
    def is_standing(self) -> bool:
        """Whether this payment is the one that grants its student the course."""
        return self.status == self.Status.SUCCEEDED and not self.refund_due


class WebhookEvent(BaseModel):
    """A provider event already handled; the unique id makes redelivery a no-op."""

    provider = models.CharField(max_length=20, choices=Payment.Provider.choices)
    event_id = models.CharField(max_length=255)
    event_type = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.event_id}"
