"""The demo: an unreachable endpoint with failures and retries in its log, and audit entries."""

import io

import pytest
from django.core.management import call_command

from lms.audit.models import AuditEntry
from lms.common.tests.helpers import API, login
from lms.users.demo import DEMO_PASSWORD
from lms.webhooks.models import Delivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


def seed() -> None:
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())


def test_the_demo_shows_failing_deliveries_and_audit_entries_and_is_idempotent():
    seed()
    counts = (WebhookEndpoint.objects.count(), Delivery.objects.count(), AuditEntry.objects.count())
    seed()
    assert (
        WebhookEndpoint.objects.count(),
        Delivery.objects.count(),
        AuditEntry.objects.count(),
    ) == counts

    endpoint = WebhookEndpoint.objects.get(url="https://hooks.invalid/lms")
    statuses = sorted(endpoint.deliveries.values_list("status", flat=True))
    assert statuses == ["failed", "retrying"]
    assert {"webhook_endpoint.created", "course.published", "course.unpublished"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )

    client, _body = login("admin@example.com", DEMO_PASSWORD)
    log = client.get(f"{API}webhook-endpoints/{endpoint.pk}/deliveries/").json()["results"]
    retrying = next(row for row in log if row["status"] == "retrying")
    assert retrying["attempt"] == 3 and retrying["next_retry_at"]
    assert len(retrying["attempts"]) == 3
    assert client.get(f"{API}audit-log/").json()["results"]
