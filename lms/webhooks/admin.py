"""Webhook endpoints and deliveries in the Django admin (read-only: the API audits writes)."""

from django.contrib import admin

from .models import Delivery, WebhookEndpoint


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(_ReadOnly):
    list_display = ["id", "url", "is_active", "description", "created_at"]
    list_filter = ["is_active"]
    # Never the secret.
    fields = ["url", "events", "is_active", "description", "created_at", "updated_at"]
    readonly_fields = fields


@admin.register(Delivery)
class DeliveryAdmin(_ReadOnly):
    list_display = [
        "id",
        "endpoint",
        "event_type",
        "status",
        "attempt",
        "status_code",
        "next_retry_at",
    ]
    list_filter = ["status", "event_type"]
    search_fields = ["event_id"]
    list_select_related = ["endpoint"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
