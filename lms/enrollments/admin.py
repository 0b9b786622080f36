"""Admin pages for enrollments, lesson progress and certificates."""

from django.contrib import admin

from .models import Certificate, Enrollment, LessonProgress


class LessonProgressInline(admin.TabularInline):
    model = LessonProgress
    extra = 0
    raw_id_fields = ["lesson"]
    readonly_fields = ["completed_at"]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["id", "student", "course", "status", "created_at", "completed_at"]
    list_filter = ["status"]
    search_fields = ["student__email", "course__title", "course__slug"]
    list_select_related = ["student", "course"]
    raw_id_fields = ["student", "course"]
    readonly_fields = ["created_at", "updated_at", "completed_at", "cancelled_at"]
    inlines = [LessonProgressInline]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["code", "enrollment", "issued_at"]
    search_fields = ["code", "enrollment__student__email", "enrollment__course__title"]
    list_select_related = ["enrollment__student", "enrollment__course"]
    raw_id_fields = ["enrollment"]
    readonly_fields = ["code", "issued_at", "created_at", "updated_at"]

    def has_add_permission(self, request):
        # Certificates are issued by course completion, never typed in.
        return False
