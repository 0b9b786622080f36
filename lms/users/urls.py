"""Routes for accounts and authentication (mounted at /api/v1/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("users", views.UserViewSet, basename="user")

# The fixed paths come first so `users/login/` never reads as a user id.
urlpatterns = [
    path("users/register/", views.RegisterView.as_view(), name="register"),
    path("users/login/", views.LoginView.as_view(), name="login"),
    path("users/logout/", views.LogoutView.as_view(), name="logout"),
    path("users/password/change/", views.PasswordChangeView.as_view(), name="password-change"),
    path("users/password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "users/password/reset/confirm/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("users/verify-email/", views.VerifyEmailView.as_view(), name="verify-email"),
    path(
        "users/verify-email/resend/",
        views.ResendVerificationView.as_view(),
        name="verify-email-resend",
    ),
    path("users/google/", views.GoogleLoginView.as_view(), name="google-login"),
    path("users/me/export/", views.PersonalDataExportView.as_view(), name="personal-data-export"),
    path("users/me/erase/", views.PersonalDataEraseView.as_view(), name="personal-data-erase"),
    path("token/refresh/", views.TokenRefreshRotateView.as_view(), name="token-refresh"),
    path("token/verify/", views.TokenVerifyView.as_view(), name="token-verify"),
    *router.urls,
]
