"""Django admin for accounts: filter by role, cohort and status; the role decides staff."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import transaction

from .models import User
from .tokens import tokens_revoke


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


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

    def save_model(self, request, obj, form, change):
        # Deactivating here ends the user's sessions, as DELETE users/{id}/ does.
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if change and "is_active" in form.changed_data and not obj.is_active:
                tokens_revoke(user=User.objects.select_for_update().get(pk=obj.pk))

    def user_change_password(self, request, id, form_url=""):
        # A password set by an admin ends every session, as a reset does.
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            with transaction.atomic():
                tokens_revoke(user=User.objects.select_for_update().get(pk=unquote(id)))
        return response
