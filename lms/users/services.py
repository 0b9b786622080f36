"""Account actions: registration, profile and role changes, passwords, email verification."""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress, EmailConfirmation, EmailConfirmationHMAC
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from rest_framework.exceptions import AuthenticationFailed

from lms.audit.services import audit_record
from lms.common import events
from lms.common.email import email_queue_template
from lms.common.exceptions import Conflict

from .models import User
from .tokens import token_pair_for, tokens_revoke

EMAIL_TAKEN = "A user with this email address already exists."
BAD_RESET_LINK = "This password reset link is invalid or has already been used."


def user_event_data(user: User, *, via: str) -> dict:
    """A new account as domain events carry it (`via`: "password" or "google")."""
    return {
        "user": {
            "id": user.pk,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "role": user.role,
            "cohort": user.cohort,
            "date_joined": events.iso(user.date_joined),
            "via": via,
        }
    }


def user_register(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    cohort: str = "",
    request: HttpRequest | None = None,
) -> User:
    """Create a student account and mail the address a verification link."""
    user = User(
        email=email,
        first_name=first_name,
        last_name=last_name,
        cohort=cohort,
        role=User.Role.STUDENT,
    )
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            address = EmailAddress.objects.create(
                user=user, email=user.email, primary=True, verified=False
            )
            address.send_confirmation(request, signup=True)
            events.emit(events.USER_REGISTERED, user_event_data(user, via="password"))
    except IntegrityError as exc:
        raise ValidationError({"email": [EMAIL_TAKEN]}) from exc
    return user


LAST_ADMIN_ROLE = "The last active admin cannot give up the admin role."
LAST_ADMIN_ACTIVE = "The last active admin cannot be deactivated."


def _is_last_active_admin(user: User) -> bool:
    return (
        user.role == User.Role.ADMIN
        and user.is_active
        and not User.objects.filter(role=User.Role.ADMIN, is_active=True)
        .exclude(pk=user.pk)
        .exists()
    )


def user_access_check(*, user: User, role: str, is_active: bool) -> None:
    """Raise Conflict if giving `user` this role and status would leave no active admin.

    The services below repeat the check with the row locked; forms call this first to
    show the refusal next to the field.
    """
    if role != User.Role.ADMIN and _is_last_active_admin(user):
        raise Conflict(LAST_ADMIN_ROLE, code="last_admin")
    if not is_active and _is_last_active_admin(user):
        raise Conflict(LAST_ADMIN_ACTIVE, code="last_admin")


def user_change_role(*, user: User, role: str, acting_user: User, ip: str | None = None) -> User:
    """Give `user` a new role (admins only); `is_staff` follows the role. Audited."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.role == role:
            return user
        user_access_check(user=user, role=role, is_active=user.is_active)
        old = user.role
        user.role = role
        user.save(update_fields=["role"])
        audit_record(
            actor=acting_user,
            action="user.role_changed",
            target=user,
            changes={"role": [old, role]},
            ip=ip,
        )
    return user


def user_set_active(
    *, user: User, is_active: bool, acting_user: User, ip: str | None = None
) -> User:
    """Deactivate (keeping every record) or reactivate an account; deactivation logs it out.

    Audited as `user.deactivated` or `user.activated`.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_active == is_active:
            return user
        user_access_check(user=user, role=user.role, is_active=is_active)
        user.is_active = is_active
        user.save(update_fields=["is_active"])
        audit_record(
            actor=acting_user,
            action="user.activated" if is_active else "user.deactivated",
            target=user,
            changes={"is_active": [not is_active, is_active]},
            ip=ip,
        )
        if not is_active:
            # Also keeps the old tokens dead if the account is reactivated later.
            tokens_revoke(user=user)
    return user


#: What a user edits of their own profile (an admin edits the same, plus role and activation).
PROFILE_FIELDS = ("first_name", "last_name", "cohort", "email_notifications")


def user_update(*, user: User, acting_user: User, data: dict, ip: str | None = None) -> User:
    """Apply a validated profile edit; `role`/`is_active` are present only for admins.

    `acting_user` is who asked (the user themselves, or an admin), for the audit log.
    """
    with transaction.atomic():
        profile = {k: data[k] for k in PROFILE_FIELDS if k in data}
        if profile:
            locked = User.objects.select_for_update().get(pk=user.pk)
            for name, value in profile.items():
                setattr(locked, name, value)
            locked.save(update_fields=list(profile))
        if "role" in data:
            user_change_role(user=user, role=data["role"], acting_user=acting_user, ip=ip)
        if "is_active" in data:
            user_set_active(user=user, is_active=data["is_active"], acting_user=acting_user, ip=ip)
    user.refresh_from_db()
    return user


def _new_password_validate(password: str, user: User) -> None:
    """Django's password validators, as a 400 on `new_password`.

    Run only after the credential that authorises the change was checked: the
    similarity validator's message would otherwise tell a stranger about the account.
    """
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password": list(exc.messages)}) from exc


def user_password_change(*, user: User, old_password: str, new_password: str) -> dict[str, str]:
    """Change the password, revoke every earlier token, and answer a fresh token pair."""
    if not user.check_password(old_password):
        raise ValidationError({"old_password": ["The current password is not correct."]})
    _new_password_validate(new_password, user)
    with transaction.atomic():
        # The lock orders this against a concurrent refresh (see token_pair_rotate).
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(new_password)
        user.save(update_fields=["password"])
        tokens_revoke(user=user)
        return token_pair_for(user)


def password_reset_request(*, email: str) -> None:
    """Mail a reset link if an active account has this address; silent otherwise."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    email_queue_template(
        to=user.email,
        template="users/email/password_reset",
        context={
            "user": user,
            "reset_url": f"{settings.FRONTEND_URL}/reset-password/{uid}/{token}",
            "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
    )


def _password_reset_user(*, uid: str) -> User | None:
    """The active user a reset link's `uid` names, or None."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except (ValueError, TypeError, OverflowError):
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


def password_reset_confirm(*, uid: str, token: str, new_password: str) -> User:
    """Set a new password from a mailed link; the link works once (it hashes the old password)."""
    with transaction.atomic():
        user = _password_reset_user(uid=uid)
        if user is not None:
            # The lock makes a second, concurrent use of the same link see the new hash.
            user = User.objects.select_for_update().get(pk=user.pk)
        if user is None or not default_token_generator.check_token(user, token):
            raise ValidationError({"token": [BAD_RESET_LINK]})
        _new_password_validate(new_password, user)
        user.set_password(new_password)
        user.save(update_fields=["password"])
        tokens_revoke(user=user)
    return user


def email_verify(*, key: str, request: HttpRequest) -> EmailAddress:
    """Mark the address a mailed key names as verified; a bad, expired or used key is a 400."""
    confirmation = EmailConfirmationHMAC.from_key(key) or EmailConfirmation.from_key(key)
    address = confirmation.confirm(request) if confirmation else None
    if address is None:
        raise ValidationError({"key": ["This verification link is invalid or has expired."]})
    return address


def email_verification_resend(*, email: str, request: HttpRequest) -> None:
    """Mail a new verification link if this address belongs to an unverified active account."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return
    address, _ = EmailAddress.objects.get_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email, "primary": True}
    )
    if not address.verified:
        address.send_confirmation(request)


def email_is_verified(user: User) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


@dataclass(frozen=True)
class GoogleIdentity:
    """Who Google says the caller is, after the token was checked."""

    uid: str
    email: str
    email_verified: bool
    first_name: str = ""
    last_name: str = ""
    extra_data: dict = field(default_factory=dict)


def user_google_login(*, identity: GoogleIdentity) -> User:
    """The user behind a Google identity; a new one becomes a student with a verified email."""
    with transaction.atomic():
        account = (
            SocialAccount.objects.select_related("user")
            .filter(provider="google", uid=identity.uid)
            .first()
        )
        if account is not None:
            user = account.user
        else:
            user = _google_user_for_email(identity)
            SocialAccount.objects.create(
                user=user, provider="google", uid=identity.uid, extra_data=identity.extra_data
            )
    if not user.is_active:
        raise AuthenticationFailed("This account is disabled.")
    return user


def _google_user_for_email(identity: GoogleIdentity) -> User:
    if not identity.email or not identity.email_verified:
        raise ValidationError("Google has not verified this account's email address.")
    existing = User.objects.filter(email__iexact=identity.email).first()
    if existing is not None:
        # Linking to an unverified local account would hand it to whoever registered it.
        if not email_is_verified(existing):
            raise ValidationError(
                "An account with this email address already exists. Sign in with its "
                "password and verify the address before using Google."
            )
        return existing
    user = User(
        email=identity.email,
        first_name=identity.first_name[:150],
        last_name=identity.last_name[:150],
        role=User.Role.STUDENT,
    )
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    events.emit(events.USER_REGISTERED, user_event_data(user, via="google"))
    return user
