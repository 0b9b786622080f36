from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Read-only: jobs are started through the API and run by Celery."""

    list_display = ["id", "kind", "status", "processed", "total", "created_by", "created_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [field.name for field in Job._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
