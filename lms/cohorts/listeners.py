"""Invitations meet accounts: an invited address is enrolled once it is verified."""

from django.contrib.auth import get_user_model

from lms.common import events

from .bulk import invitations_accept

User = get_user_model()


def on_email_confirmed(sender, request, email_address, **kwargs) -> None:
    """allauth's `email_confirmed`: the address is the user's now, proven."""
    invitations_accept(user=email_address.user)


def on_event(event: events.Event) -> None:
    """A Google sign-up arrives verified: its invitations are accepted at once."""
    if event.type != events.USER_REGISTERED or event.data["user"].get("via") != "google":
        return
    user = User.objects.filter(pk=event.data["user"]["id"]).first()
    if user is not None:
        invitations_accept(user=user)
