"""In-app notifications, created from domain events and announcements."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "lms.notifications"
    label = "notifications"

    def ready(self):
        """Listen to the domain events that tell a user something; export and erase a
        person's inbox with their personal data."""
        # Imported here, not at the top: models load only once the app registry is ready.
        from lms.common import events
        from lms.users.personal_data import personal_data_register

        from . import personal_data
        from .listeners import notification_from_event

        events.subscribers.register(self.label, notification_from_event)
        personal_data_register(
            self.label,
            export=personal_data.personal_data_export,
            erase=personal_data.personal_data_erase,
        )
