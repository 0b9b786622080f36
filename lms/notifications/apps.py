"""In-app notifications, created from domain events and announcements."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "lms.notifications"
    label = "notifications"

    def ready(self):
        """Listen to the domain events that tell a user something."""
        # Imported here, not at the top: models load only once the app registry is ready.
        from lms.common import events

        from .listeners import notification_from_event

        events.subscribers.register(self.label, notification_from_event)
