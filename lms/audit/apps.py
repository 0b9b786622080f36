"""The audit log: an append-only record of who changed what, written by the services."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "lms.audit"
    label = "audit"
