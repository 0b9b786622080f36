"""Accounts: the email-login user with roles, and the auth endpoints."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class UsersConfig(AppConfig):
    name = "lms.users"
    label = "users"


class ThrottledAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with the login-throttled site as `admin.site`."""

    default = False  # UsersConfig stays this module's app; settings name this one explicitly
    default_site = "lms.users.admin_site.ThrottledAdminSite"
