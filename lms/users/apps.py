"""Accounts: the email-login user with roles, and the auth endpoints."""

from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "lms.users"
    label = "users"
