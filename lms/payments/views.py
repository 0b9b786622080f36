"""Checkout, payment history, admin confirm/refund, and the Stripe webhook."""

import json
import logging

import django_filters
import stripe
from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.common.exceptions import ServiceUnavailable
from lms.common.filters import IdFilter
from lms.common.permissions import IsAdmin, IsStudent
from lms.common.schema import (
    error_response,
    errors,
)

from .models import Payment
from .permissions import IsStripeWebhook
from .selectors import payments_visible_to
from .serializers import CheckoutSerializer, PaymentSerializer, WebhookResultSerializer
from .services import payment_checkout, payment_confirm, payment_refund, stripe_event_process

logger = logging.getLogger(__name__)

PROVIDER_UNAVAILABLE = error_response("The payment provider is not configured or not reachable.")


class PaymentFilter(django_filters.FilterSet):
    course_id = IdFilter(field_name="course_id", help_text="Course id.")
    status = django_filters.ChoiceFilter(choices=Payment.Status.choices)

    class Meta:
        model = Payment
        fields = ["course_id", "status"]


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
        description="Students only. Creates a pending payment at the course's price with the "
        "configured provider (`manual`: instructions; `stripe`: a Checkout Session URL). "
        "A pending payment for the same course is reused.",
        request=CheckoutSerializer,
        responses={
            201: PaymentSerializer,
            **errors(400, 401, 403, 409),
            503: PROVIDER_UNAVAILABLE,
        },
    )
    @action(detail=False, methods=["post"], permission_classes=[IsStudent])
    def checkout(self, request):
        serializer = CheckoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment = payment_checkout(student=request.user, course=serializer.validated_data["course"])
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
        payment = payment_confirm(payment=self.get_object())
        return Response(PaymentSerializer(payment).data)

    @extend_schema(
        summary="Refund a payment (admin)",
        description="Refunds through the provider, marks the payment `refunded` and cancels "
        "the enrollment; only succeeded payments (else 409).",
        request=None,
        responses={
            200: PaymentSerializer,
            **errors(401, 403, 404, 409),
            503: PROVIDER_UNAVAILABLE,
        },
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAdmin])
    def refund(self, request, pk=None):
        payment = payment_refund(payment=self.get_object())
        return Response(PaymentSerializer(payment).data)


class StripeWebhookView(APIView):
    """Stripe's event deliveries, authenticated by their signature alone."""

    authentication_classes: list = []
    permission_classes = [IsStripeWebhook]
    throttle_classes: list = []

    @extend_schema(
        summary="Stripe webhook",
        description="Called by Stripe. The `Stripe-Signature` header is verified on the raw "
        "body with `STRIPE_WEBHOOK_SECRET` (5-minute tolerance). Handles "
        "`checkout.session.completed`, `checkout.session.async_payment_succeeded`, "
        "`checkout.session.async_payment_failed` and `charge.refunded`; each event id is "
        "applied once, however often it is delivered.",
        request={"application/json": OpenApiTypes.OBJECT},
        responses={
            200: WebhookResultSerializer,
            400: error_response("Missing, stale or invalid signature; nothing changed."),
            503: PROVIDER_UNAVAILABLE,
        },
        auth=[],
    )
    def post(self, request):
        secret = settings.STRIPE_WEBHOOK_SECRET
        if not secret:
            raise ServiceUnavailable("The Stripe webhook is not configured.")
        payload = request.body
        try:
            # What `stripe.Webhook.construct_event` checks, minus its object building,
            # which crashes on JSON that is not an object; we parse the body ourselves.
            stripe.WebhookSignature.verify_header(
                payload.decode("utf-8"),
                request.headers.get("Stripe-Signature"),
                secret,
                tolerance=settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
            )
            event = json.loads(payload)
            event_id, event_type = event["id"], event["type"]
            if not isinstance(event["data"]["object"], dict):
                raise TypeError("event.data.object is not an object")
        except stripe.SignatureVerificationError:
            logger.warning("Stripe webhook with a bad signature rejected")
            return Response({"detail": "Invalid signature."}, status=status.HTTP_400_BAD_REQUEST)
        except (ValueError, KeyError, TypeError):
            return Response({"detail": "Invalid payload."}, status=status.HTTP_400_BAD_REQUEST)
        logger.info("Stripe event %s (%s) received", event_id, event_type)
        return Response({"status": stripe_event_process(event=event)})
