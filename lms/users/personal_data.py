"""Personal data: each app's export and erasure of what it stores about a user, in one place.

Every app that stores something about a person registers a `PersonalData(export,
erase)` here in its `AppConfig.ready()`: `export(user) -> {section: JSON-ready data}`
(a constant number of queries, whatever the rows) and `erase(user)` (runs inside the
erasure's transaction, with the user row locked; emits nothing).
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from lms.audit.models import AuditEntry
from lms.common import events
from lms.common.exceptions import Conflict
from lms.common.registry import Registry

from .models import User
from .services import GoogleIdentity
from .tokens import tokens_revoke

logger = logging.getLogger(__name__)

#: How recently a Google ID token must have been issued to authorise an erasure.
GOOGLE_REAUTH_SECONDS = 600
LAST_ADMIN_ERASE = "The last active admin cannot erase their account; appoint another admin first."


@dataclass(frozen=True)
class PersonalData:
    """What one app stores about a person: how to export it and how to erase it."""

    export: Callable[[User], dict]
    erase: Callable[[User], None]


#: name -> PersonalData; apps register theirs in `AppConfig.ready()`.
sections = Registry("personal data: export(user) -> dict and erase(user), per app")


def personal_data_register(name: str, *, export: Callable, erase: Callable) -> None:
    sections.register(name, PersonalData(export=export, erase=erase))


def personal_data_export(*, user: User) -> dict:
    """One JSON-ready document of everything stored about `user`, section by section."""
    document: dict = {"exported_at": events.iso(timezone.now()), "user_id": user.pk}
    for _name, section in sections.items():
        document.update(section.export(user))
    return document


# --- erasure ----------------------------------------------------------------------


def erasure_credential_check(
    *, user: User, password: str = "", google: GoogleIdentity | None = None
) -> None:
    """The caller proves it is them: their password, or (no password) a fresh Google ID token
    for the Google account linked to them. A failure is a 400 on the field."""
    if user.has_usable_password():
        if not password or not user.check_password(password):
            raise ValidationError({"password": ["The password is not correct."]})
        return
    if google is None:
        raise ValidationError(
            {"id_token": ["This account has no password: send a fresh Google id_token."]}
        )
    if not SocialAccount.objects.filter(user=user, provider="google", uid=google.uid).exists():
        raise ValidationError({"id_token": ["This Google account is not the one linked to you."]})
    issued = google.extra_data.get("iat")
    if not isinstance(issued, int | float) or time.time() - issued > GOOGLE_REAUTH_SECONDS:
        raise ValidationError(
            {"id_token": ["Sign in with Google again: the token must be under 10 minutes old."]}
        )


def user_erase(*, user: User, password: str = "", google: GoogleIdentity | None = None) -> None:
    """Anonymise `user` at once and for good, after checking their credential.

    Every app's `erase` runs first (highest layer first), then the account itself:
    email `erased-{id}@invalid`, names and cohort blank, unusable password,
    deactivated, email addresses, social accounts and tokens removed. Records the
    law keeps (payments, certificates) stay, under the anonymous account. The last
    active admin is refused (409 `last_admin`).
    """
    erasure_credential_check(user=user, password=password, google=google)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        others = User.objects.filter(role=User.Role.ADMIN, is_active=True).exclude(pk=user.pk)
        if user.role == User.Role.ADMIN and user.is_active and not others.exists():
            raise Conflict(LAST_ADMIN_ERASE, code="last_admin")
        for _name, section in reversed(sections.items()):
            section.erase(user)
    logger.info("User %s erased their personal data", user.pk)


def _account_export(user: User) -> dict:
    addresses = EmailAddress.objects.filter(user=user).order_by("id")
    accounts = SocialAccount.objects.filter(user=user).order_by("id")
    # Kept on erasure (append-only security records), but shown: they hold the IP.
    acted = AuditEntry.objects.filter(actor=user).order_by("id")
    return {
        "profile": {
            "id": user.pk,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "role": user.role,
            "cohort": user.cohort,
            "email_notifications": user.email_notifications,
            "is_active": user.is_active,
            "date_joined": events.iso(user.date_joined),
            "last_login": events.iso(user.last_login),
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary} for a in addresses
        ],
        "social_accounts": [
            {
                "provider": a.provider,
                "uid": a.uid,
                "date_joined": events.iso(a.date_joined),
                "last_login": events.iso(a.last_login),
                "extra_data": a.extra_data,
            }
            for a in accounts
        ],
        "audit_entries": [
            {
                "at": events.iso(e.at),
                "action": e.action,
                "target_type": e.target_type,
                "target_id": e.target_id,
                "ip": e.ip,
            }
            for e in acted
        ],
    }


def _account_erase(user: User) -> None:
    """The account itself, last: nothing left that names or reaches the person."""
    EmailAddress.objects.filter(user=user).delete()  # and its confirmations
    SocialAccount.objects.filter(user=user).delete()  # and its Google tokens
    tokens_revoke(user=user)
    # Outstanding refresh tokens hold the old email in their claims: gone too. The
    # revocation cutoff above keeps every token already handed out refused.
    OutstandingToken.objects.filter(user=user).delete()
    user.email = f"erased-{user.pk}@invalid"
    user.first_name = user.last_name = user.cohort = ""
    user.set_unusable_password()
    user.is_active = False
    user.erased_at = timezone.now()
    user.save(
        update_fields=[
            "email",
            "first_name",
            "last_name",
            "cohort",
            "password",
            "is_active",
            "erased_at",
        ]
    )


def register_account_section() -> None:
    """The users app's own section (called from `UsersConfig.ready()`)."""
    personal_data_register("users", export=_account_export, erase=_account_erase)
