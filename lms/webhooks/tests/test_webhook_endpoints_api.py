"""Admin CRUD of webhook endpoints: roles, the secret shown once, the SSRF guard, the log."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lms.audit.models import AuditEntry
from lms.webhooks.models import Delivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

URL = "/api/v1/webhook-endpoints/"
PUBLIC = "https://93.184.215.14/hooks"  # a public address literal: no DNS lookup in tests


@pytest.fixture
def stored(db):
    return WebhookEndpoint.objects.create(url=PUBLIC, events=["*"], secret="whsec_stored")


def delivery(endpoint, **fields):
    values = {
        "event_id": "evt_1",
        "event_type": "user.registered",
        "payload": {"id": "evt_1", "type": "user.registered", "created": 0, "data": {}},
        "next_retry_at": timezone.now() + timedelta(hours=1),
        "status": Delivery.Status.RETRYING,
    }
    return Delivery.objects.create(endpoint=endpoint, **{**values, **fields})


def test_anonymous_gets_401(api_client, stored):
    assert api_client.get(URL).status_code == 401
    assert api_client.post(URL, {"url": PUBLIC, "events": ["*"]}).status_code == 401


@pytest.mark.parametrize("role", ["student", "instructor"])
def test_students_and_instructors_get_403_everywhere(auth_client, role, request, stored):
    client = auth_client(request.getfixturevalue(role))
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{stored.pk}/").status_code == 403
    assert client.post(URL, {"url": PUBLIC, "events": ["*"]}).status_code == 403
    assert client.patch(f"{URL}{stored.pk}/", {"is_active": False}).status_code == 403
    assert client.post(f"{URL}{stored.pk}/rotate-secret/").status_code == 403
    assert client.get(f"{URL}{stored.pk}/deliveries/").status_code == 403
    assert client.delete(f"{URL}{stored.pk}/").status_code == 403
    assert WebhookEndpoint.objects.get().is_active


def test_admin_creates_an_endpoint_and_sees_the_secret_once(auth_client, admin):
    client = auth_client(admin)
    response = client.post(
        URL,
        {
            "url": PUBLIC,
            "events": ["enrollment.created", "payment.succeeded"],
            "description": "CRM",
        },
        REMOTE_ADDR="192.0.2.1",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["secret"].startswith("whsec_") and len(body["secret"]) > 30
    assert {k: body[k] for k in ("url", "events", "is_active", "description")} == {
        "url": PUBLIC,
        "events": ["enrollment.created", "payment.succeeded"],
        "is_active": True,
        "description": "CRM",
    }
    read = client.get(f"{URL}{body['id']}/").json()
    assert "secret" not in read
    assert all("secret" not in row for row in client.get(URL).json()["results"])
    entry = AuditEntry.objects.get(action="webhook_endpoint.created")
    assert (entry.actor_id, entry.target_id, entry.ip) == (admin.pk, str(body["id"]), "192.0.2.1")
    assert "secret" not in entry.changes


def test_rotating_gives_a_new_secret_and_is_audited(auth_client, admin, stored):
    response = auth_client(admin).post(f"{URL}{stored.pk}/rotate-secret/")
    assert response.status_code == 200
    new = response.json()["secret"]
    stored.refresh_from_db()
    assert new == stored.secret != "whsec_stored"
    entry = AuditEntry.objects.get(action="webhook_endpoint.secret_rotated")
    assert entry.changes == {}


def test_update_and_delete_are_audited(auth_client, admin, stored):
    client = auth_client(admin)
    response = client.patch(f"{URL}{stored.pk}/", {"events": ["user.registered"]})
    assert response.status_code == 200
    assert response.json()["events"] == ["user.registered"]
    delivery(stored)
    assert client.delete(f"{URL}{stored.pk}/").status_code == 204
    assert WebhookEndpoint.objects.count() == Delivery.objects.count() == 0
    assert list(AuditEntry.objects.order_by("id").values_list("action", "changes")) == [
        ("webhook_endpoint.updated", {"events": [["*"], ["user.registered"]]}),
        (
            "webhook_endpoint.deleted",
            {
                "url": [PUBLIC, None],
                "events": [["user.registered"], None],
                "is_active": [True, None],
                "description": ["", None],
            },
        ),
    ]


@pytest.mark.parametrize(
    "payload",
    [
        {"url": PUBLIC, "events": ["user.exploded"]},
        {"url": PUBLIC, "events": []},
        {"url": PUBLIC, "events": "user.registered"},
        {"url": "http://93.184.215.14/hooks", "events": ["*"]},
        {"url": "ftp://93.184.215.14/hooks", "events": ["*"]},
        {"url": "https://127.0.0.1/hooks", "events": ["*"]},
        {"url": "https://localhost/hooks", "events": ["*"]},
        {"url": "https://10.1.2.3/hooks", "events": ["*"]},
        {"url": "https://192.168.0.10/hooks", "events": ["*"]},
        {"url": "https://169.254.169.254/latest/meta-data", "events": ["*"]},
        {"url": "https://100.64.0.1/hooks", "events": ["*"]},
        {"url": "https://0.0.0.0/hooks", "events": ["*"]},
        {"url": "https://224.0.0.1/hooks", "events": ["*"]},
        {"url": "https://[::1]/hooks", "events": ["*"]},
        {"url": "https://[fe80::1]/hooks", "events": ["*"]},
        {"url": "https://[fd00::1]/hooks", "events": ["*"]},
        {"url": "https://[::ffff:127.0.0.1]/hooks", "events": ["*"]},
        {"url": "https://user:pw@93.184.215.14/hooks", "events": ["*"]},
        {"url": "not a url", "events": ["*"]},
        {"url": PUBLIC, "events": ["*"], "is_active": 0},
    ],
)
def test_bad_input_is_400_and_changes_nothing(auth_client, admin, stored, payload):
    client = auth_client(admin)
    created = client.post(URL, payload)
    changed = client.patch(f"{URL}{stored.pk}/", payload)

    assert created.status_code == changed.status_code == 400, (created.content, changed.content)
    assert WebhookEndpoint.objects.count() == 1
    stored.refresh_from_db()
    assert (stored.url, stored.events) == (PUBLIC, ["*"])
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        (["*", "user.registered"], ["*"]),
        (
            ["user.registered", "payment.refunded", "user.registered"],
            ["user.registered", "payment.refunded"],
        ),
    ],
)
def test_events_are_stored_plainly(auth_client, admin, sent, stored):
    response = auth_client(admin).post(URL, {"url": PUBLIC, "events": sent})
    assert response.status_code == 201
    assert response.json()["events"] == stored


def test_with_allow_private_http_and_loopback_are_accepted(auth_client, admin, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    response = auth_client(admin).post(URL, {"url": "http://127.0.0.1:9/h", "events": ["*"]})
    assert response.status_code == 201


def test_the_delivery_log_pages_newest_first(auth_client, admin, stored):
    other = WebhookEndpoint.objects.create(url=PUBLIC, events=["*"], secret="s")
    delivery(other)
    rows = [delivery(stored, event_id=f"evt_{n}") for n in range(3)]
    client = auth_client(admin)

    first = client.get(f"{URL}{stored.pk}/deliveries/", {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    assert [r["event_id"] for r in first["results"] + second["results"]] == [
        "evt_2",
        "evt_1",
        "evt_0",
    ]
    row = first["results"][0]
    assert row["id"] == rows[2].pk
    assert set(row) >= {"event_type", "status", "attempt", "status_code", "next_retry_at"}
    assert client.get(f"{URL}999999/deliveries/").status_code == 404


def test_the_delivery_log_costs_the_same_for_one_row_or_many(
    auth_client, admin, stored, assert_constant_queries
):
    client = auth_client(admin)
    delivery(stored)
    assert_constant_queries(
        lambda: client.get(f"{URL}{stored.pk}/deliveries/"),
        lambda: [delivery(stored, event_id=f"evt_{n}") for n in range(10)],
    )


def test_endpoint_list_costs_the_same_for_one_row_or_many(
    auth_client, admin, stored, assert_constant_queries
):
    client = auth_client(admin)
    assert_constant_queries(
        lambda: client.get(URL),
        lambda: [WebhookEndpoint.objects.create(url=PUBLIC, events=["*"]) for _ in range(5)],
    )


def test_redeliver_sends_the_same_event_again(
    auth_client, admin, receiver, endpoint, django_capture_on_commit_callbacks
):
    failed = delivery(endpoint, status=Delivery.Status.FAILED, attempt=7)
    client = auth_client(admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{URL}{endpoint.pk}/deliveries/{failed.pk}/redeliver/")

    assert response.status_code == 202, response.content
    body = response.json()
    assert body["id"] != failed.pk
    assert (body["event_id"], body["status"]) == ("evt_1", "pending")
    again = Delivery.objects.get(pk=body["id"])
    assert (again.status, again.attempt) == ("succeeded", 1)
    assert [r["headers"]["LMS-Event-Id"] for r in receiver.received] == ["evt_1"]


def test_redeliver_of_another_endpoints_delivery_is_404(auth_client, admin, stored):
    other = WebhookEndpoint.objects.create(url=PUBLIC, events=["*"], secret="s")
    theirs = delivery(other)
    response = auth_client(admin).post(f"{URL}{stored.pk}/deliveries/{theirs.pk}/redeliver/")
    assert response.status_code == 404
    assert Delivery.objects.count() == 1
