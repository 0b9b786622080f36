"""JWT pairs for our users: claims, rotation under a row lock, and revocation."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken, Token

TOKEN_REVOKED = "Token has been revoked: log in again."
ROLE_CHANGED = "The user's role has changed: refresh the token."


def _stamp_issued_at(token: Token, user) -> None:
    """Set `iat` to the microsecond, and never before the user's `tokens_valid_after`.

    simplejwt's whole-second `iat` cannot tell a token issued just after a password
    change from one issued just before it, in the same second.
    """
    issued = token.current_time
    if user.tokens_valid_after is not None and user.tokens_valid_after > issued:
        issued = user.tokens_valid_after  # another server's clock ran ahead of ours
    token["iat"] = issued.timestamp()


class UserRefreshToken(RefreshToken):
    """A refresh token whose access tokens share its precise `iat`."""

    no_copy_claims = tuple(claim for claim in RefreshToken.no_copy_claims if claim != "iat")


def refresh_token_for(user) -> RefreshToken:
    """A new refresh token (recorded as outstanding) whose access tokens name the user's role."""
    token = UserRefreshToken.for_user(user)
    token[api_settings.USER_ID_CLAIM] = user.pk  # a number, like the user object's `id`
    token["email"] = user.email
    token["role"] = user.role
    _stamp_issued_at(token, user)
    return token


def token_pair_for(user) -> dict[str, str]:
    refresh = refresh_token_for(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def token_is_revoked(*, user, token: Token) -> bool:
    """True if `token` was issued before the user's last password change, reset or deactivation."""
    cutoff = user.tokens_valid_after
    return cutoff is not None and token.get("iat", 0) < cutoff.timestamp()


def token_check_current(*, user, token: Token) -> None:
    """Refuse (401) a revoked token, or an access token naming a role the user no longer has.

    `user` is the row the caller already loaded: this check costs no query.
    """
    if token_is_revoked(user=user, token=token):
        raise InvalidToken(TOKEN_REVOKED)
    is_access = token.get(api_settings.TOKEN_TYPE_CLAIM) == "access"
    if is_access and "role" in token and token["role"] != user.role:
        # Refresh tokens stay valid: refreshing answers an access token with the new role.
        raise InvalidToken(ROLE_CHANGED)


def tokens_revoke(*, user) -> None:
    """Make every token `user` holds stop working; `user` must be locked, and is saved."""
    user.tokens_valid_after = timezone.now()
    user.save(update_fields=["tokens_valid_after"])
    refresh_tokens_revoke(user=user)


def token_pair_rotate(*, refresh: str) -> dict[str, str]:
    """Spend `refresh` once and answer a fresh pair; a spent or revoked token raises TokenError.

    The user row is locked first, so a rotation cannot slip a new pair past a concurrent
    password change; the outstanding-token row is locked, so two concurrent uses of one
    refresh token cannot both succeed.
    """
    with transaction.atomic():
        token = RefreshToken(refresh)  # signature, expiry, type, blacklist
        user = (
            get_user_model()
            .objects.select_for_update()
            .filter(pk=token.get(api_settings.USER_ID_CLAIM), is_active=True)
            .first()
        )
        if user is None:
            raise AuthenticationFailed("No active account found for the given token.")
        if token_is_revoked(user=user, token=token):
            raise TokenError(TOKEN_REVOKED)
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
