"""Outgoing webhooks: endpoints other systems register, and the log of what was sent them."""

from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "lms.webhooks"
    label = "webhooks"

    def ready(self):
        """Listen to every domain event: each matching endpoint gets a delivery."""
        # Imported here, not at the top: models load only once the app registry is ready.
        from lms.common import events

        from .dispatch import deliveries_queue_for_event

        events.subscribers.register(self.label, deliveries_queue_for_event)
