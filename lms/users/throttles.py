"""Rate limits for logins and account endpoints: per client IP, per email, per signed-in user."""

import hashlib

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


def _digest(email: str) -> str:
    # Counters are keyed by a hash: the cache never holds the addresses themselves.
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


class _AuthRateThrottle(SimpleRateThrottle):
    """Reads its rate from settings.THROTTLE_RATES at request time; one counter per endpoint."""

    def get_rate(self):
        return settings.THROTTLE_RATES[self.scope]

    def _endpoint(self, view) -> str:
        return getattr(view, "throttle_scope", None) or view.__class__.__name__


class AuthIPThrottle(_AuthRateThrottle):
    """Per client IP (REMOTE_ADDR, or X-Forwarded-For only behind NUM_PROXIES trusted proxies)."""

    scope = "auth_ip"

    def get_cache_key(self, request, view):
        return f"throttle_{self.scope}_{self._endpoint(view)}_{self.get_ident(request)}"


class AuthEmailThrottle(_AuthRateThrottle):
    """Per submitted email address, so one account cannot be hammered from many IPs."""

    scope = "auth_email"

    def get_cache_key(self, request, view):
        email = request.data.get("email") if hasattr(request.data, "get") else None
        if not isinstance(email, str) or not email.strip():
            return None
        return f"throttle_{self.scope}_{self._endpoint(view)}_{_digest(email)}"


class PasswordChangeThrottle(_AuthRateThrottle):
    """Per signed-in user, so a stolen access token cannot be used to guess the password."""

    scope = "password_change"

    def get_cache_key(self, request, view):
        return f"throttle_{self.scope}_{request.user.pk}"


class AccountEraseThrottle(PasswordChangeThrottle):
    """Erasure attempts per signed-in user (it checks the password too), at the same rate."""

    def get_cache_key(self, request, view):
        return f"throttle_account_erase_{request.user.pk}"


class AdminLoginIPThrottle(_AuthRateThrottle):
    """Django admin login attempts per client IP."""

    scope = "admin_login_ip"

    def get_cache_key(self, request, view):
        return f"throttle_{self.scope}_{self.get_ident(request)}"


class AdminLoginUsernameThrottle(_AuthRateThrottle):
    """Django admin login attempts per username, whichever IPs they come from."""

    scope = "admin_login_username"

    def __init__(self, username: str):
        super().__init__()
        self.username = username

    def get_cache_key(self, request, view):
        if not self.username.strip():
            return None
        return f"throttle_{self.scope}_{_digest(self.username)}"
