"""Payment representations."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lms.courses.models import Course
from lms.enrollments.serializers import EnrollmentCourseSerializer, EnrollmentStudentSerializer

from .models import Payment
from .providers import payment_provider


class PaymentSerializer(serializers.ModelSerializer):
    student = EnrollmentStudentSerializer(read_only=True)
    course = EnrollmentCourseSerializer(read_only=True)
    checkout_url = serializers.SerializerMethodField()
    instructions = serializers.SerializerMethodField()
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


class WebhookResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["processed", "duplicate", "ignored"],
        help_text="`duplicate`: this event id was applied before; nothing changed.",
    )
