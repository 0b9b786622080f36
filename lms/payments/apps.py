"""Payments and their provider adapters (manual, Stripe)."""

from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "lms.payments"
    label = "payments"

    def ready(self):
        """Tell enrollment that a standing payment opens a paid course; export and erase
        a person's payments with their personal data."""
        # Imported here, not at the top: models load only once the app registry is ready.
        from lms.enrollments.services import paid_for
        from lms.users.personal_data import personal_data_register

        from . import personal_data
        from .selectors import has_paid_for

        paid_for.register(self.label, has_paid_for)
        personal_data_register(
            self.label,
            export=personal_data.personal_data_export,
            erase=personal_data.personal_data_erase,
        )
