"""Bearer JWT authentication that also refuses tokens the user has since revoked.

The user row behind a token is cached (without the password hash) and forgotten on every
save or delete of that user, at once and again after commit: a password change, reset,
deactivation or role change saves the row, so the very next request reloads it and the
revocation checks see the change.
"""

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings

from .tokens import token_check_current

#: How long an unchanged user row is served from the cache.
USER_CACHE_SECONDS = 300
#: Loaded on use only (password change, re-authentication), never cached.
UNCACHED_FIELDS = frozenset({"password"})


def _key(user_id) -> str:
    return f"users:auth:{user_id}"


def user_cache_forget(sender, instance, **kwargs) -> None:
    """post_save/post_delete receiver: the next request reloads this user's row."""
    key = _key(instance.pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def _from_cache(user_id):
    values = cache.get(_key(user_id))
    if values is None:
        return None
    User = get_user_model()
    return User.from_db("default", list(values), list(values.values()))


def _to_cache(user) -> None:
    values = {
        field.attname: getattr(user, field.attname)
        for field in user._meta.concrete_fields
        if field.attname not in UNCACHED_FIELDS
    }
    cache.set(_key(user.pk), values, timeout=USER_CACHE_SECONDS)


class RevocableJWTAuthentication(JWTAuthentication):
    """simplejwt's access-token auth, minus tokens older than `tokens_valid_after` or the role."""

    def get_user(self, validated_token):
        try:
            user_id = validated_token[api_settings.USER_ID_CLAIM]
        except KeyError as exc:
            raise InvalidToken("Token contained no recognizable user identification") from exc
        user = _from_cache(user_id)
        if user is None:
            user = super().get_user(validated_token)  # refuses a missing or inactive user
            _to_cache(user)
        token_check_current(user=user, token=validated_token)
        return user


class RevocableJWTScheme(SimpleJWTScheme):
    """Documents RevocableJWTAuthentication as the same `jwtAuth` Bearer scheme."""

    target_class = RevocableJWTAuthentication
