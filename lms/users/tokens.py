"""JWT pairs for our users: claims, rotation under a row lock, and revocation."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from rest_framework_simplejwt.exceptions import AuthenticationFailed, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken


def refresh_token_for(user) -> RefreshToken:
    """A new refresh token (recorded as outstanding) whose access tokens name the user's role."""
    token = RefreshToken.for_user(user)
    token[api_settings.USER_ID_CLAIM] = user.pk  # a number, like the user object's `id`
    token["email"] = user.email
    token["role"] = user.role
    return token


def token_pair_for(user) -> dict[str, str]:
    refresh = refresh_token_for(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def token_pair_rotate(*, refresh: str) -> dict[str, str]:
    """Spend `refresh` once and answer a fresh pair; a spent or revoked token raises TokenError.

    The outstanding-token row is locked, so two concurrent uses of one refresh token
    cannot both succeed.
    """
    with transaction.atomic():
        token = RefreshToken(refresh)  # signature, expiry, type, blacklist
        outstanding = (
            # order_by(): the model's default ordering joins the (nullable) user.
            OutstandingToken.objects.order_by()
            .select_for_update()
            .filter(jti=token[api_settings.JTI_CLAIM])
            .first()
        )
        if outstanding is None:
            raise TokenError("Token is invalid")
        if BlacklistedToken.objects.filter(token=outstanding).exists():
            raise TokenError("Token is blacklisted")
        user = (
            get_user_model()
            .objects.filter(pk=token.get(api_settings.USER_ID_CLAIM), is_active=True)
            .first()
        )
        if user is None:
            raise AuthenticationFailed("No active account found for the given token.")
        BlacklistedToken.objects.create(token=outstanding)
        return token_pair_for(user)


def refresh_tokens_revoke(*, user) -> int:
    """Blacklist every unexpired refresh token of `user`; returns how many were revoked."""
    live = OutstandingToken.objects.filter(
        user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True
    )
    revoked = [BlacklistedToken(token=token) for token in live]
    BlacklistedToken.objects.bulk_create(revoked, ignore_conflicts=True)
    return len(revoked)


def refresh_token_revoke(*, user, refresh: str) -> None:
    """Blacklist one of `user`'s refresh tokens (logout); TokenError if it is not usable."""
    token = RefreshToken(refresh)
    if str(token.get(api_settings.USER_ID_CLAIM)) != str(user.pk):
        raise TokenError("Token is invalid")
    token.blacklist()
