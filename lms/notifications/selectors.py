"""Whose notifications a user sees: their own, nobody else's."""

from django.db.models import QuerySet

from .models import Notification


def notifications_of(user) -> QuerySet[Notification]:
    """The notifications addressed to `user` (none for anonymous callers)."""
    if not (user and user.is_authenticated):
        return Notification.objects.none()
    return Notification.objects.filter(user=user)


def unread_count_of(user) -> int:
    """How many of `user`'s notifications are unread."""
    return notifications_of(user).filter(read_at__isnull=True).count()
