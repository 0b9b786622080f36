"""Notifications as the API shows them."""

from rest_framework import serializers

from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "data", "created_at", "read_at"]
        read_only_fields = fields


class NotificationsReadAllSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField(help_text="How many notifications were unread.")
    unread_count = serializers.IntegerField(help_text="Always 0 after this call.")
