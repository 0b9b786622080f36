"""Admin pages for announcements (edited through the services) and their email progress."""

from django.contrib import admin

from .models import Announcement, AnnouncementRecipient, Invitation
from .services import announcement_create, announcement_delete, announcement_update


class AnnouncementRecipientInline(admin.TabularInline):
    model = AnnouncementRecipient
    extra = 0
    raw_id_fields = ["user"]
    readonly_fields = ["user", "handled_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "course", "author", "send_email", "created_at"]
    search_fields = ["title", "course__title", "author__email"]
    list_select_related = ["course", "author"]
    raw_id_fields = ["course", "author"]
    readonly_fields = ["author", "created_at", "updated_at"]
    inlines = [AnnouncementRecipientInline]

    def get_readonly_fields(self, request, obj=None):
        # Course and email choice are decided once, when it is posted.
        if obj is not None:
            return [*self.readonly_fields, "course", "send_email"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        # Through the services: posting tells every enrollee; editing rewrites their notices.
        if change:
            announcement_update(announcement=obj, data=form.cleaned_data)
        else:
            created = announcement_create(
                course=obj.course,
                author=request.user,
                title=obj.title,
                body=obj.body,
                send_email=obj.send_email,
            )
            obj.pk = created.pk

    def delete_model(self, request, obj):
        announcement_delete(announcement=obj)

    def delete_queryset(self, request, queryset):
        for announcement in queryset:
            announcement_delete(announcement=announcement)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Bulk-enrollment invitations; made by the bulk-enroll job, accepted on verification."""

    list_display = ["email", "course", "cohort", "invited_by", "created_at", "accepted_at"]
    list_filter = ["accepted_at"]
    search_fields = ["email"]
    readonly_fields = ["course", "email", "invited_by", "job", "accepted_at", "created_at"]

    def has_add_permission(self, request):
        return False
