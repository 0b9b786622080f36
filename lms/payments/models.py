"""Payments for paid courses, the coupons that discount them, and provider events processed."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from lms.common.models import BaseModel


class Coupon(BaseModel):
    """A discount code: a percentage or a fixed amount off one course or any course.

    A payment that names the coupon is its redemption; `lms.payments.coupons` says which
    redemptions count against `max_redemptions`.
    """

    code = models.CharField(max_length=40)
    percent_off = models.PositiveSmallIntegerField(null=True, blank=True)
    amount_off = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    #: The currency of `amount_off` (blank for a percentage).
    currency = models.CharField(max_length=3, blank=True)
    #: Null: valid for any course.
    course = models.ForeignKey(
        "courses.Course", on_delete=models.CASCADE, null=True, blank=True, related_name="coupons"
    )
    max_redemptions = models.PositiveIntegerField(null=True, blank=True)
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(Lower("code"), name="coupon_code_unique_ci"),
            # Exactly one kind of discount; an amount always says its currency.
            models.CheckConstraint(
                condition=(
                    Q(percent_off__isnull=False, amount_off__isnull=True, currency="")
                    | (Q(percent_off__isnull=True, amount_off__isnull=False) & ~Q(currency=""))
                ),
                name="coupon_percent_xor_amount",
            ),
            models.CheckConstraint(
                condition=Q(percent_off__isnull=True) | Q(percent_off__gte=1, percent_off__lte=100),
                name="coupon_percent_1_100",
            ),
            models.CheckConstraint(
                condition=Q(amount_off__isnull=True) | Q(amount_off__gt=0),
                name="coupon_amount_positive",
            ),
            models.CheckConstraint(
                condition=Q(max_redemptions__isnull=True) | Q(max_redemptions__gte=1),
                name="coupon_max_redemptions_positive",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_from__lt=models.F("valid_until")),
                name="coupon_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.code


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
        COUPON = "coupon", "Coupon (nothing to pay)"

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments"
    )
    course = models.ForeignKey("courses.Course", on_delete=models.PROTECT, related_name="payments")
    #: What the student pays: the course's price less `discount`.
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3)
    #: The coupon redeemed by this payment, if any (it holds one of its redemptions).
    coupon = models.ForeignKey(
        Coupon, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    discount = models.DecimalField(max_digits=10, decimal_places=2, default=0)
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
        indexes = [
            models.Index(fields=["student", "course", "status"]),
            models.Index(fields=["coupon", "status"]),
        ]
        constraints = [
            # Zero only when a coupon covers the whole price.
            models.CheckConstraint(
                condition=Q(amount__gt=0) | Q(amount=0, coupon__isnull=False),
                name="payment_amount_positive",
            ),
            models.CheckConstraint(condition=Q(discount__gte=0), name="payment_discount_sign"),
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
