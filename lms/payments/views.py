"""Checkout, payment history, admin confirm/refund, and the Stripe webhook."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.audit.services import client_ip
from lms.common.filters import BooleanFilter, IdFilter
from lms.common.permissions import IsAdmin, IsStudent
from lms.common.schema import (
    error_response,
    errors,
)
from lms.enrollments.serializers import EnrollmentConflictSerializer

from .models import Payment
from .providers import payment_provider
from .selectors import payments_visible_to
from .serializers import CheckoutSerializer, PaymentSerializer, WebhookResultSerializer
from .services import payment_checkout, payment_confirm, payment_refund

PROVIDER_UNAVAILABLE = error_response("The payment provider is not configured or not reachable.")


class PaymentFilter(django_filters.FilterSet):
    course_id = IdFilter(field_name="course_id", help_text="Course id.")
    status = django_filters.ChoiceFilter(choices=Payment.Status.choices)
    refund_due = BooleanFilter(
        help_text="`true`: paid but granting nothing; an admin must refund it."
    )

    class Meta:
        model = Payment
        fields = ["course_id", "status", "refund_due"]


@extend_schema_view(
    list=extend_schema(
        summary="List payments",
        description="Your own payments (an admin sees all).",
        responses={200: PaymentSerializer(many=True), **errors(400, 401)},
    ),
    retrieve=extend_schema(
        summary="A payment",
        responses={200: PaymentSerializer, **errors(401, 404)},
    ),
)
class PaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A student's payments for paid courses."""

    serializer_class = PaymentSerializer
    filterset_class = PaymentFilter
    ordering_fields = ["created_at", "amount", "status"]

    def get_queryset(self):
        return payments_visible_to(self.request.user)

    @extend_schema(
        summary="Start paying for a course",
        description="Students only. Creates a pending payment at the course's price, less the "
        "`coupon`'s discount, with the configured provider (`manual`: instructions; "
        "`stripe`: a Checkout Session URL). A pending payment for the same course and "
        "coupon is reused. A coupon that does not apply (unknown, inactive, not yet valid, "
        'expired, another course, another currency, used up) is a 400 `{"coupon": [...]}`. '
        "A coupon covering the whole price enrolls at once: the payment is `succeeded`, "
        "provider `coupon`, amount 0, no checkout URL. Already enrolled, already paid "
        "for (re-enroll instead) or full: 409. Prerequisites not completed: 409 "
        "`prerequisites_not_met` with their ids in `missing`.",
        request=CheckoutSerializer,
        responses={
            201: PaymentSerializer,
            **errors(400, 401, 403),
            409: error_response(
                "Already enrolled or paid for, full, or prerequisites not completed.",
                EnrollmentConflictSerializer,
            ),
            503: PROVIDER_UNAVAILABLE,
        },
    )
    @action(detail=False, methods=["post"], permission_classes=[IsStudent])
    def checkout(self, request):
        serializer = CheckoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment = payment_checkout(
            student=request.user,
            course=serializer.validated_data["course"],
            coupon_code=serializer.validated_data.get("coupon", ""),
        )
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Confirm a manual payment (admin)",
        description="Marks the payment succeeded and enrolls the student, exactly once; "
        "a payment that is not pending answers 409, as does a full course.",
        request=None,
        responses={
            200: PaymentSerializer,
            **errors(400, 401, 403, 404, 409),
        },
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAdmin])
    def confirm(self, request, pk=None):
        payment = payment_confirm(payment=self.get_object(), by=request.user, ip=client_ip(request))
        return Response(PaymentSerializer(payment).data)

    @extend_schema(
        summary="Refund a payment (admin)",
        description="Refunds through the provider and marks the payment `refunded`; the "
        "enrollment is cancelled when this payment granted it (not for a `refund_due` one). "
        "Only succeeded payments (else 409).",
        request=None,
        responses={
            200: PaymentSerializer,
            **errors(401, 403, 404, 409),
            503: PROVIDER_UNAVAILABLE,
        },
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAdmin])
    def refund(self, request, pk=None):
        payment = payment_refund(payment=self.get_object(), by=request.user, ip=client_ip(request))
        return Response(PaymentSerializer(payment).data)


class StripeWebhookView(APIView):
    """Stripe's event deliveries, authenticated by their signature alone."""

    authentication_classes: list = []
    permission_classes = [AllowAny]  # the provider checks the signature on the body
    throttle_classes: list = []

    @extend_schema(
        summary="Stripe webhook",
        description="Called by Stripe. The `Stripe-Signature` header is verified on the raw "
        "body with `STRIPE_WEBHOOK_SECRET` (5-minute tolerance). Handles "
        "`checkout.session.completed`, `checkout.session.async_payment_succeeded`, "
        "`checkout.session.async_payment_failed` and `charge.refunded`; each event id is "
        "applied once, however often it is delivered. A paid session is always acknowledged: "
        "the payment becomes `succeeded` and the student is enrolled, or, when they may not "
        "be (course closed or full, already paid for, data mismatch), `refund_due` is set "
        "for an admin's refund. A signed body that is not an event answers 400.",
        request={"application/json": OpenApiTypes.OBJECT},
        responses={
            200: WebhookResultSerializer,
            400: error_response(
                "Missing, stale or invalid signature, or a signed body that is not an event; "
                "nothing changed."
            ),
            503: PROVIDER_UNAVAILABLE,
        },
        auth=[],
    )
    def post(self, request):
        provider = payment_provider(Payment.Provider.STRIPE)
        return Response(
            {"status": provider.webhook_handle(body=request.body, headers=request.headers)}
        )
