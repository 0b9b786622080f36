"""Payments and their provider adapters (manual, Stripe)."""

from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "lms.payments"
    label = "payments"
