"""Django admin for accounts: filter by role, cohort and status; the role decides staff."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect

from lms.audit.services import client_ip
from lms.common.exceptions import Conflict

from . import services
from .models import User
from .tokens import tokens_revoke

ACCESS_FIELDS = ("role", "is_active")


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeAdminForm(UserChangeForm):
    """Shows the services' refusals (the last active admin) next to the fields."""

    class Meta:
        model = User
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        stored = User.objects.get(pk=self.instance.pk)
        role = cleaned.get("role", stored.role)
        is_active = cleaned.get("is_active", stored.is_active)
        try:
            services.user_access_check(user=stored, role=role, is_active=is_active)
        except Conflict as exc:
            field = "role" if role != stored.role else "is_active"
            raise ValidationError({field: str(exc)}) from exc
        return cleaned


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Users by email; `is_staff` is read-only because it always equals `role == admin`."""

    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    list_display = (
        "email",
        "first_name",
        "last_name",
        "role",
        "cohort",
        "is_active",
        "date_joined",
    )
    list_filter = ("role", "cohort", "is_active")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)
    readonly_fields = ("is_staff", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("first_name", "last_name", "cohort")}),
        ("Access", {"fields": ("role", "is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "role", "cohort", "usable_password", "password1", "password2"),
            },
        ),
    )

    def has_delete_permission(self, request, obj=None):
        # As in the API, an account is deactivated (records kept), never deleted.
        return False

    def save_model(self, request, obj, form, change):
        access = {
            name: form.cleaned_data[name] for name in ACCESS_FIELDS if name in form.changed_data
        }
        if not change or not access:
            super().save_model(request, obj, form, change)
            return
        # Role and status change only through the services (last-admin rule, ending the
        # sessions of a deactivated user); everything else is saved as the form has it.
        stored = User.objects.get(pk=obj.pk)
        obj.role, obj.is_active = stored.role, stored.is_active
        super().save_model(request, obj, form, change)
        services.user_update(user=obj, acting_user=request.user, data=access, ip=client_ip(request))

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except Conflict as exc:
            # Lost a race the form's check had passed: nothing was saved.
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def user_change_password(self, request, id, form_url=""):
        # A password set by an admin ends every session, as a reset does.
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            with transaction.atomic():
                tokens_revoke(user=User.objects.select_for_update().get(pk=unquote(id)))
        return response
