"""Webhook endpoints and their delivery logs (admins see them all)."""

from django.db.models import QuerySet

from .models import Delivery, WebhookEndpoint


def webhook_endpoints_all() -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.order_by("id")


def deliveries_of(endpoint: WebhookEndpoint) -> QuerySet[Delivery]:
    """An endpoint's deliveries (newest first is the paginator's order)."""
    return Delivery.objects.filter(endpoint=endpoint)
