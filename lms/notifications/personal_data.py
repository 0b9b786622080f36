"""What notifications store about a person: their inbox (deleted on erasure)."""

from lms.common.events import iso

from .models import Notification


def personal_data_export(user) -> dict:
    inbox = Notification.objects.filter(user=user).order_by("id")
    return {
        "notifications": [
            {
                "id": n.pk,
                "kind": n.kind,
                "title": n.title,
                "body": n.body,
                "data": n.data,
                "created_at": iso(n.created_at),
                "read_at": iso(n.read_at),
            }
            for n in inbox
        ]
    }


def personal_data_erase(user) -> None:
    """The inbox goes: it only ever told the person things, and its texts name them."""
    Notification.objects.filter(user=user).delete()
