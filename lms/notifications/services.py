"""Creating notifications (in bulk) and marking them read."""

from collections.abc import Iterable
from itertools import islice

from django.db import transaction
from django.utils import timezone

from .models import Notification

#: Rows per INSERT when one message goes to many users.
BATCH_SIZE = 1000


def notifications_create(
    *, user_ids: Iterable[int], kind: str, title: str, body: str = "", data: dict | None = None
) -> int:
    """Tell the same thing to every user in `user_ids`: one INSERT per batch; the count made."""
    if kind not in Notification.Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}")
    ids = iter(user_ids)
    created = 0
    with transaction.atomic():
        while batch := list(islice(ids, BATCH_SIZE)):
            Notification.objects.bulk_create(
                [
                    Notification(
                        user_id=user_id, kind=kind, title=title, body=body, data=data or {}
                    )
                    for user_id in batch
                ]
            )
            created += len(batch)
    return created


def notifications_create_each(notices: list[dict]) -> int:
    """Create one notification per `{user_id, kind, title, body, data}`: one INSERT per batch."""
    rows = [Notification(**notice) for notice in notices]
    with transaction.atomic():
        Notification.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)


def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark one notification read (the first reading time stays)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of `user` read; how many were."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def _about(kind: str, about: dict):
    return Notification.objects.filter(
        kind=kind, **{f"data__{key}": value for key, value in about.items()}
    )


def notifications_rewrite(*, kind: str, about: dict, title: str, body: str) -> int:
    """Give the notifications of `kind` whose data holds `about` a new title and body."""
    return _about(kind, about).update(title=title, body=body)


def notifications_withdraw(*, kind: str, about: dict) -> int:
    """Delete the notifications of `kind` whose data holds `about` (their subject is gone)."""
    deleted, _ = _about(kind, about).delete()
    return deleted
