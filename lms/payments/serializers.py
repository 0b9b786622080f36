"""Payment representations."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lms.courses.models import Course
from lms.enrollments.serializers import EnrollmentCourseSerializer, EnrollmentStudentSerializer

from .coupons import FIELDS as COUPON_FIELDS
from .models import Coupon, Payment
from .providers import payment_provider


class PaymentSerializer(serializers.ModelSerializer):
    student = EnrollmentStudentSerializer(read_only=True)
    course = EnrollmentCourseSerializer(read_only=True)
    checkout_url = serializers.SerializerMethodField()
    instructions = serializers.SerializerMethodField()
    coupon = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="The coupon this payment redeemed, if any.",
    )
    discount = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        read_only=True,
        help_text="Taken off the course's price by the coupon (`amount` = price - discount).",
    )
    refund_due = serializers.BooleanField(
        read_only=True,
        help_text="The money arrived (`succeeded`) but grants no enrollment; an admin must "
        "refund it. `failure_reason` says why.",
    )

    class Meta:
        model = Payment
        fields = [
            "id",
            "student",
            "course",
            "amount",
            "currency",
            "coupon",
            "discount",
            "provider",
            "status",
            "checkout_url",
            "instructions",
            "provider_reference",
            "failure_reason",
            "refund_due",
            "paid_at",
            "refunded_at",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_checkout_url(self, payment: Payment) -> str | None:
        return payment.checkout_url or None

    @extend_schema_field(serializers.CharField(help_text="How to pay (while pending)."))
    def get_instructions(self, payment: Payment) -> str:
        if payment.status != Payment.Status.PENDING:
            return ""
        return payment_provider(payment.provider).instructions(payment)


class CheckoutSerializer(serializers.Serializer):
    course = serializers.PrimaryKeyRelatedField(
        queryset=Course.objects.filter(is_published=True),
        help_text="Id of a published paid course. The price is the course's, never the client's.",
    )
    coupon = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text="A coupon code (any case). The amount is the price less its discount.",
    )


class CouponSerializer(serializers.ModelSerializer):
    code = serializers.RegexField(
        r"^[A-Za-z0-9_-]{3,40}$",
        max_length=40,
        help_text="3 to 40 letters, digits, '-' or '_'; unique whatever the case.",
    )
    course = serializers.PrimaryKeyRelatedField(
        queryset=Course.objects.all(),
        allow_null=True,
        required=False,
        help_text="The one course this coupon is for; null: any course.",
    )
    percent_off = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=100
    )
    amount_off = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        required=False,
        allow_null=True,
        min_value=Decimal("0.01"),
        help_text="A fixed amount off, in `currency` (instead of `percent_off`).",
    )
    currency = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=3,
        help_text="ISO code of `amount_off` (blank with `percent_off`).",
    )
    max_redemptions = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="Successful payments (and pending checkouts) it may serve; null: no limit.",
    )
    times_redeemed = serializers.IntegerField(
        read_only=True, help_text="Succeeded payments that redeemed it."
    )
    redemptions_pending = serializers.IntegerField(
        read_only=True,
        help_text="Pending checkouts holding a redemption (they count against the limit).",
    )

    class Meta:
        model = Coupon
        fields = [
            "id",
            *COUPON_FIELDS,
            "times_redeemed",
            "redemptions_pending",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class CouponQuoteQuerySerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40, help_text="The coupon code (any case).")
    course = serializers.PrimaryKeyRelatedField(
        queryset=Course.objects.filter(is_published=True), help_text="A published course's id."
    )


class CouponQuoteSerializer(serializers.Serializer):
    valid = serializers.BooleanField(help_text="Always true: a coupon that does not apply is 400.")
    price = serializers.DecimalField(max_digits=10, decimal_places=2)
    discount = serializers.DecimalField(max_digits=10, decimal_places=2)
    amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, help_text="What checkout would charge now."
    )
    currency = serializers.CharField()


class WebhookResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["processed", "duplicate", "ignored"],
        help_text="`duplicate`: this event id was applied before; nothing changed.",
    )
