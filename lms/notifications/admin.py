"""Admin page for notifications: read-only (they are told by the system, not typed in)."""

from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "kind", "title", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["user__email", "title"]
    list_select_related = ["user"]
    readonly_fields = [
        "user",
        "kind",
        "title",
        "body",
        "data",
        "created_at",
        "updated_at",
        "read_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
