"""Accounts: the email-login user with roles, and the auth endpoints."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class UsersConfig(AppConfig):
    name = "lms.users"
    label = "users"

    def ready(self):
        """Forget a user's cached auth row whenever the row changes (authentication.py);
        register the account's own personal data (profile, addresses, social accounts)."""
        # Imported here, not at the top: models load only once the app registry is ready.
        from django.db.models.signals import post_delete, post_save

        from .authentication import user_cache_forget
        from .models import User
        from .personal_data import register_account_section

        post_save.connect(user_cache_forget, sender=User, dispatch_uid="auth-user-save")
        post_delete.connect(user_cache_forget, sender=User, dispatch_uid="auth-user-delete")
        register_account_section()


class ThrottledAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with the login-throttled site as `admin.site`."""

    default = False  # UsersConfig stays this module's app; settings name this one explicitly
    default_site = "lms.users.admin_site.ThrottledAdminSite"
