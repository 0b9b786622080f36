"""PostgreSQL: workers racing for one delivery send it once; an acknowledged one never again."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from lms.webhooks.models import Delivery, WebhookEndpoint
from lms.webhooks.services import delivery_send

pytestmark = pytest.mark.django_db(transaction=True)


def test_ten_workers_on_one_delivery_send_it_once(requires_postgres, receiver):
    endpoint = WebhookEndpoint.objects.create(url=receiver.url, events=["*"], secret="s")
    delivery = Delivery.objects.create(
        endpoint=endpoint,
        event_id="evt_race",
        event_type="user.registered",
        payload={"id": "evt_race", "type": "user.registered", "created": 0, "data": {}},
        next_retry_at=timezone.now(),
    )
    start = threading.Barrier(10)
    results = []

    def worker():
        try:
            start.wait()
            results.append(delivery_send(delivery_id=delivery.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(receiver.received) == 1
    assert sum(result is not None for result in results) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempt) == ("succeeded", 1)

    # A task retried after a crash finds it acknowledged.
    assert delivery_send(delivery_id=delivery.pk) is None
    assert len(receiver.received) == 1
