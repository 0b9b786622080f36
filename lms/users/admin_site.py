"""The Django admin site, whose login is throttled per client IP and per username."""

import math

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from .throttles import AdminLoginIPThrottle, AdminLoginUsernameThrottle

LOCKED = "Too many login attempts. Try again in {seconds} seconds."


def admin_login_wait(request, username: str) -> float | None:
    """Count one admin login attempt; the seconds to wait if it is over a limit, else None."""
    waits = []
    for throttle in (AdminLoginIPThrottle(), AdminLoginUsernameThrottle(username)):
        if not throttle.allow_request(request, None):
            waits.append(throttle.wait() or 1)
    return max(waits) if waits else None


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    """Refuses a locked-out attempt before the password is even looked at."""

    throttle_wait: float | None = None

    def clean(self):
        username = self.data.get("username")
        wait = admin_login_wait(self.request, username if isinstance(username, str) else "")
        if wait is not None:
            # Raised before authenticate(): a locked answer says nothing about the password.
            self.throttle_wait = wait
            raise ValidationError(LOCKED.format(seconds=math.ceil(wait)), code="throttled")
        return super().clean()


class ThrottledAdminSite(admin.AdminSite):
    """Django's admin site; a throttled login answers its usual page with status 429."""

    login_form = ThrottledAdminAuthenticationForm

    def login(self, request, extra_context=None):
        response = super().login(request, extra_context)
        form = (getattr(response, "context_data", None) or {}).get("form")
        wait = getattr(form, "throttle_wait", None)
        if wait is not None:
            response.status_code = 429
            response["Retry-After"] = str(math.ceil(wait))
        return response
