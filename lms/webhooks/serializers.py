"""Webhook endpoints as the API reads and writes them, and their deliveries."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lms.common.events import EVENT_TYPES

from .models import ALL_EVENTS, Delivery, WebhookEndpoint

EVENT_CHOICES = [*EVENT_TYPES, ALL_EVENTS]


class JSONBooleanField(serializers.BooleanField):
    """`true` or `false` only: the schema says boolean, so `0`, `1` or `"yes"` are a 400."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class WebhookEndpointSerializer(serializers.ModelSerializer):
    """An endpoint: `events` lists the event types it receives, or is `["*"]` for all.

    A list naming `"*"` is stored as `["*"]`; a type named twice is stored once.
    """

    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_CHOICES),
        min_length=1,
        max_length=len(EVENT_CHOICES),
    )
    is_active = JSONBooleanField(required=False, default=True)

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "events", "is_active", "description", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate_events(self, events: list[str]) -> list[str]:
        # "*" already means every event; a type listed twice is listed once.
        if ALL_EVENTS in events:
            return [ALL_EVENTS]
        return list(dict.fromkeys(events))


class WebhookEndpointWithSecretSerializer(WebhookEndpointSerializer):
    """An endpoint with its signing secret: shown on create and on rotation only."""

    secret = serializers.CharField(read_only=True)

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


class DeliveryAttemptSerializer(serializers.Serializer):
    """One attempt: when, and the HTTP status it got (or why it got none)."""

    attempt = serializers.IntegerField()
    at = serializers.DateTimeField()
    status_code = serializers.IntegerField(allow_null=True)
    error = serializers.CharField(allow_blank=True)


class DeliverySerializer(serializers.ModelSerializer):
    """One event sent (or to be sent) to the endpoint: `payload` is the exact JSON body."""

    attempts = serializers.SerializerMethodField()

    class Meta:
        model = Delivery
        fields = [
            "id",
            "event_id",
            "event_type",
            "status",
            "attempt",
            "status_code",
            "response_excerpt",
            "error",
            "next_retry_at",
            "delivered_at",
            "created_at",
            "attempts",
            "payload",
        ]
        read_only_fields = fields

    @extend_schema_field(DeliveryAttemptSerializer(many=True))
    def get_attempts(self, delivery: Delivery) -> list[dict]:
        return delivery.attempts
