"""Admin API of outgoing webhooks: endpoints, their secret, delivery log and redelivery."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from lms.audit.services import acting
from lms.common.pagination import NewestFirstCursorPagination
from lms.common.parsers import JSONParser
from lms.common.permissions import IsAdmin
from lms.common.schema import errors

from . import services
from .dispatch import delivery_redeliver
from .selectors import deliveries_of, webhook_endpoints_all
from .serializers import (
    DeliverySerializer,
    WebhookEndpointSerializer,
    WebhookEndpointWithSecretSerializer,
)

TAGS = ["webhooks"]
URL_RULES = (
    "`url` must be https and must not resolve to a loopback, private, link-local or "
    "reserved address (unless `WEBHOOKS_ALLOW_PRIVATE`); `events` lists the contract's "
    'event types or is `["*"]`. Bad input: 400, nothing saved.'
)


@extend_schema_view(
    list=extend_schema(summary="Webhook endpoints (admins)", tags=TAGS, responses={
        200: WebhookEndpointSerializer(many=True), **errors(403)}),
    retrieve=extend_schema(summary="A webhook endpoint (admins)", tags=TAGS, responses={
        200: WebhookEndpointSerializer, **errors(403)}),
    create=extend_schema(
        summary="Register a webhook endpoint (admins)",
        description=f"{URL_RULES} The answer carries the signing `secret`, shown this once.",
        tags=TAGS,
        request=WebhookEndpointSerializer,
        responses={201: WebhookEndpointWithSecretSerializer, **errors(400, 403)},
    ),
    update=extend_schema(
        summary="Change a webhook endpoint (admins)", description=URL_RULES, tags=TAGS,
        responses={200: WebhookEndpointSerializer, **errors(400, 403)},
    ),
    partial_update=extend_schema(
        summary="Change part of a webhook endpoint (admins)", description=URL_RULES, tags=TAGS,
        responses={200: WebhookEndpointSerializer, **errors(400, 403)},
    ),
    destroy=extend_schema(
        summary="Remove a webhook endpoint and its delivery log (admins)", tags=TAGS,
        responses={204: None, **errors(403)},
    ),
)  # fmt: skip
class WebhookEndpointViewSet(viewsets.ModelViewSet):
    """Where events are POSTed, signed with the endpoint's secret."""

    permission_classes = [IsAdmin]
    serializer_class = WebhookEndpointSerializer
    parser_classes = [JSONParser]  # `events` is a list: JSON says it plainly
    filter_backends: list = []

    def get_queryset(self):
        return webhook_endpoints_all()

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = services.webhook_endpoint_create(**serializer.validated_data, **acting(request))
        body = WebhookEndpointWithSecretSerializer(endpoint).data
        return Response(body, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        endpoint = self.get_object()
        partial = kwargs.get("partial", False)
        serializer = self.get_serializer(endpoint, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        endpoint = services.webhook_endpoint_update(
            endpoint=endpoint, data=serializer.validated_data, **acting(request)
        )
        return Response(self.get_serializer(endpoint).data)

    def perform_destroy(self, instance):
        services.webhook_endpoint_delete(endpoint=instance, **acting(self.request))

    @extend_schema(
        summary="Give a webhook endpoint a new secret (admins)",
        description="The old secret stops signing at once; the new one is shown this once.",
        tags=TAGS,
        request=None,
        responses={200: WebhookEndpointWithSecretSerializer, **errors(403)},
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        endpoint = services.webhook_endpoint_rotate_secret(
            endpoint=self.get_object(), **acting(request)
        )
        return Response(WebhookEndpointWithSecretSerializer(endpoint).data)

    @extend_schema(
        summary="An endpoint's delivery log, newest first (admins)",
        description="Each delivery: the event, its status (`pending`, `sending`, `retrying`, "
        "`succeeded`, `failed`), attempts made, the last status code and response excerpt, "
        "the next retry and every attempt so far. Cursor-paginated.",
        tags=TAGS,
        responses={200: DeliverySerializer(many=True), **errors(400, 403)},
    )
    @action(
        detail=True,
        methods=["get"],
        pagination_class=NewestFirstCursorPagination,
        serializer_class=DeliverySerializer,
    )
    def deliveries(self, request, pk=None):
        page = self.paginate_queryset(deliveries_of(self.get_object()))
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)

    @extend_schema(
        summary="Send a delivery's event again (admins)",
        description="A new delivery of the same event (same `LMS-Event-Id`), sent now; "
        "the answer is that delivery as it stands after the attempt was queued.",
        tags=TAGS,
        request=None,
        parameters=[OpenApiParameter("delivery_id", int, OpenApiParameter.PATH)],
        responses={202: DeliverySerializer, **errors(403)},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"deliveries/(?P<delivery_id>[0-9]+)/redeliver",
        serializer_class=DeliverySerializer,
    )
    def redeliver(self, request, pk=None, delivery_id=None):
        delivery = get_object_or_404(deliveries_of(self.get_object()), pk=delivery_id)
        again = delivery_redeliver(delivery=delivery)
        again.refresh_from_db()
        return Response(DeliverySerializer(again).data, status=status.HTTP_202_ACCEPTED)
