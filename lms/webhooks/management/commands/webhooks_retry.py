"""Send every due webhook delivery now, in this process (cron, when no Celery beat runs)."""

from django.core.management.base import BaseCommand

from lms.webhooks.services import deliveries_due_ids, delivery_send


class Command(BaseCommand):
    help = "Send due webhook deliveries (first sends, retries, and sends a crash interrupted)."

    def handle(self, *args, **options):
        sent = acknowledged = 0
        for delivery_id in deliveries_due_ids():
            delivery = delivery_send(delivery_id=delivery_id)
            if delivery is not None:
                sent += 1
                acknowledged += delivery.status == delivery.Status.SUCCEEDED
        self.stdout.write(f"Sent {sent} webhook deliveries, {acknowledged} acknowledged.")
