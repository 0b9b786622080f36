"""Account endpoints: authentication (auth.py), the users resource (users.py), personal data."""

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
from .personal_data import PersonalDataEraseView, PersonalDataExportView
from .users import UserViewSet

__all__ = [
    "GoogleLoginView",
    "LoginView",
    "LogoutView",
    "PasswordChangeView",
    "PasswordResetConfirmView",
    "PasswordResetView",
    "PersonalDataEraseView",
    "PersonalDataExportView",
    "RegisterView",
    "ResendVerificationView",
    "TokenRefreshRotateView",
    "TokenVerifyView",
    "UserViewSet",
    "VerifyEmailView",
]
