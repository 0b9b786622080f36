"""Account endpoints: authentication (auth.py) and the users resource (users.py)."""

from .auth import (
    GoogleLoginView,
    LoginView,
    LogoutView,
    PasswordChangeView,
    PasswordResetConfirmView,
    PasswordResetView,
    RegisterView,
    ResendVerificationView,
    TokenRefreshRotateView,
    TokenVerifyView,
    VerifyEmailView,
)
from .users import UserViewSet

__all__ = [
    "GoogleLoginView",
    "LoginView",
    "LogoutView",
    "PasswordChangeView",
    "PasswordResetConfirmView",
    "PasswordResetView",
    "RegisterView",
    "ResendVerificationView",
    "TokenRefreshRotateView",
    "TokenVerifyView",
    "UserViewSet",
    "VerifyEmailView",
]
