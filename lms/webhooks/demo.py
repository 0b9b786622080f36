"""Demo webhooks: an endpoint nobody answers, with a delivery log of failures and retries."""

from datetime import timedelta

from django.utils import timezone

from lms.common import events
from lms.users.models import User

from .models import Delivery, WebhookEndpoint
from .services import MAX_ATTEMPTS, RETRY_DELAYS, webhook_endpoint_create

DEMO_URL = "https://hooks.invalid/lms"
UNRESOLVED = "The host hooks.invalid does not resolve."


def _event(event_type: str, data: dict, at) -> dict:
    return events.Event(type=event_type, data=data, created=at).as_json()


def _attempts(count: int, first_at) -> tuple[list[dict], object]:
    """`count` failed attempts on the backoff schedule from `first_at`; and the last one's time."""
    at, log = first_at, []
    for number in range(1, count + 1):
        log.append(
            {"attempt": number, "at": at.isoformat(), "status_code": None, "error": UNRESOLVED}
        )
        if number <= len(RETRY_DELAYS):
            at = at + RETRY_DELAYS[number - 1]
    return log, at


def seed(stdout) -> None:
    admin = User.objects.filter(email="admin@example.com").first()
    endpoint = WebhookEndpoint.objects.filter(url=DEMO_URL).first()
    if endpoint is None:
        endpoint = webhook_endpoint_create(
            url=DEMO_URL,
            events=["*"],
            description="Demo CRM: nothing answers here, so every delivery fails and is retried",
            acting_user=admin,
            ip="127.0.0.1",
        )
    if not endpoint.deliveries.exists():
        _seed_deliveries(endpoint)
    stdout.write(f"  webhook endpoint {DEMO_URL}: {endpoint.deliveries.count()} deliveries\n")


def _seed_deliveries(endpoint: WebhookEndpoint) -> None:
    now = timezone.now()
    student = User.objects.filter(email="maria@example.com").first()
    user = {"id": student.pk if student else 0, "email": "maria@example.com", "role": "student"}
    # One given up on after every attempt, one still being retried.
    given_up_at = now - timedelta(hours=6)
    log, _last = _attempts(MAX_ATTEMPTS, given_up_at)
    failed = Delivery(
        endpoint=endpoint,
        event_type=events.USER_REGISTERED,
        payload=_event(events.USER_REGISTERED, {"user": {**user, "via": "password"}}, given_up_at),
        status=Delivery.Status.FAILED,
        attempt=MAX_ATTEMPTS,
        error=UNRESOLVED,
        attempts=log,
    )
    retry_from = now - timedelta(minutes=20)
    log, last = _attempts(3, retry_from)
    retrying = Delivery(
        endpoint=endpoint,
        event_type=events.ENROLLMENT_CREATED,
        payload=_event(
            events.ENROLLMENT_CREATED,
            {"enrollment": {"student": user["id"], "status": "active", "source": "self"}},
            retry_from,
        ),
        status=Delivery.Status.RETRYING,
        attempt=3,
        error=UNRESOLVED,
        attempts=log,
        next_retry_at=last,
    )
    for delivery in (failed, retrying):
        delivery.event_id = delivery.payload["id"]
    Delivery.objects.bulk_create([failed, retrying])
