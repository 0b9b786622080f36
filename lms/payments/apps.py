"""Payments and their provider adapters (manual, Stripe)."""

from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "lms.payments"
    label = "payments"

    def ready(self):
        """Tell enrollment that a standing payment opens a paid course."""
        # Imported here, not at the top: models load only once the app registry is ready.
        from lms.enrollments.services import paid_for

        from .selectors import has_paid_for

        paid_for.register(self.label, has_paid_for)
