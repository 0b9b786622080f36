"""Bearer JWT authentication that also refuses tokens the user has since revoked."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt.authentication import JWTAuthentication

from .tokens import token_check_current


class RevocableJWTAuthentication(JWTAuthentication):
    """simplejwt's access-token auth, minus tokens older than `tokens_valid_after` or the role."""

    def get_user(self, validated_token):
        user = super().get_user(validated_token)
        token_check_current(user=user, token=validated_token)
        return user


class RevocableJWTScheme(SimpleJWTScheme):
    """Documents RevocableJWTAuthentication as the same `jwtAuth` Bearer scheme."""

    target_class = RevocableJWTAuthentication
