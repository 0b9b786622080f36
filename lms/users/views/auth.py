"""Authentication endpoints: register, log in and out, tokens, passwords, email, Google."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
)
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.tokens import UntypedToken
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from lms.common.schema import (
    BAD_REQUEST,
    THROTTLED,
    error_response,
    errors,
)

from .. import google, serializers, services
from ..models import User
from ..throttles import AuthEmailThrottle, AuthIPThrottle, PasswordChangeThrottle
from ..tokens import refresh_token_revoke, token_check_current, token_pair_for


class PublicAuthView(APIView):
    """A public endpoint that still answers 401 (not 403) when credentials are refused."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AuthIPThrottle]

    def get_authenticate_header(self, request):
        return f'{jwt_settings.AUTH_HEADER_TYPES[0]} realm="api"'


class RegisterView(PublicAuthView):
    throttle_scope = "register"

    @extend_schema(
        tags=["auth"],
        summary="Create a student account and email a verification link",
        request=serializers.RegisterSerializer,
        responses={201: serializers.UserSerializer, **errors(400, 429)},
    )
    def post(self, request):
        serializer = serializers.RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_register(**serializer.validated_data, request=request._request)
        return Response(serializers.UserSerializer(user).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["auth"],
    summary="Log in with email and password",
    request=serializers.TokenObtainPairSerializer,
    responses={
        200: serializers.AuthResponseSerializer,
        **errors(400, 401),
        403: error_response("Email verification is mandatory and this address is unverified."),
        429: THROTTLED,
    },
)
class LoginView(TokenObtainPairView):
    serializer_class = serializers.TokenObtainPairSerializer
    throttle_classes = [AuthIPThrottle, AuthEmailThrottle]
    throttle_scope = "login"


SESSION_EXPIRED = "{reason}: this session has ended, sign in again."


@extend_schema(
    tags=["auth"],
    summary="Trade a refresh token (once) for a new access and refresh token",
    description="A refused refresh token (spent, expired, revoked) answers 401 with `code: "
    "session_expired`: sign in again. Refresh tokens rotate: store the new one.",
    request=serializers.RefreshInputSerializer,
    responses={200: serializers.TokenPairSerializer, **errors(400, 401)},
)
class TokenRefreshRotateView(TokenRefreshView):
    serializer_class = serializers.TokenRefreshSerializer

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except AuthenticationFailed as exc:
            # Not `token_not_valid` (which tells a client to refresh): this one ends the session.
            reason = exc.detail.get("detail", "") if isinstance(exc.detail, dict) else exc.detail
            raise AuthenticationFailed(
                SESSION_EXPIRED.format(reason=str(reason).rstrip(".")), "session_expired"
            ) from exc


class TokenVerifyView(PublicAuthView):
    throttle_classes: list = []

    @extend_schema(
        tags=["auth"],
        summary="Check that a token is valid, unexpired and not revoked",
        description=(
            "A token is revoked by logout (refresh tokens), a password change or reset, or "
            "deactivation; an access token also stops working when the user's role changes "
            "(refresh it to get one with the new role)."
        ),
        request=serializers.TokenVerifyInputSerializer,
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, "`{}`"),
            **errors(400, 401),
        },
    )
    def post(self, request):
        serializer = serializers.TokenVerifyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            token = UntypedToken(serializer.validated_data["token"])
        except TokenError as exc:
            raise InvalidToken(exc.args[0]) from exc
        jti = token.get(jwt_settings.JTI_CLAIM)
        if BlacklistedToken.objects.filter(token__jti=jti).exists():
            raise InvalidToken("Token is blacklisted")
        user = User.objects.filter(pk=token.get(jwt_settings.USER_ID_CLAIM), is_active=True).first()
        if user is None:
            raise InvalidToken("No active account found for the given token.")
        token_check_current(user=user, token=token)
        return Response({})


class LogoutView(APIView):
    @extend_schema(
        tags=["auth"],
        summary="Revoke a refresh token",
        request=serializers.RefreshInputSerializer,
        responses={200: serializers.DetailSerializer, **errors(400, 401)},
    )
    def post(self, request):
        serializer = serializers.RefreshInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            refresh_token_revoke(user=request.user, refresh=serializer.validated_data["refresh"])
        except TokenError as exc:
            raise ValidationError({"refresh": [str(exc)]}) from exc
        return Response({"detail": "Logged out."})


class PasswordChangeView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [PasswordChangeThrottle]

    @extend_schema(
        tags=["auth"],
        summary="Change the password; every earlier refresh token stops working",
        description=(
            "Answers a fresh token pair so this client stays logged in. Attempts are "
            "limited per user (`THROTTLE_PASSWORD_CHANGE`, default 5/min): over it, 429."
        ),
        request=serializers.PasswordChangeSerializer,
        responses={200: serializers.PasswordChangedSerializer, **errors(400, 401, 429)},
    )
    def post(self, request):
        serializer = serializers.PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tokens = services.user_password_change(user=request.user, **serializer.validated_data)
        return Response({"detail": "Password changed.", **tokens})


RESET_SENT = "If an account uses this address, we have emailed it a password reset link."


class PasswordResetView(PublicAuthView):
    throttle_classes = [AuthIPThrottle, AuthEmailThrottle]
    throttle_scope = "password_reset"

    @extend_schema(
        tags=["auth"],
        summary="Email a password reset link (same answer whether or not the address exists)",
        request=serializers.EmailInputSerializer,
        responses={200: serializers.DetailSerializer, **errors(400, 429)},
    )
    def post(self, request):
        serializer = serializers.EmailInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_reset_request(email=serializer.validated_data["email"])
        return Response({"detail": RESET_SENT})


class PasswordResetConfirmView(PublicAuthView):
    throttle_scope = "password_reset_confirm"

    @extend_schema(
        tags=["auth"],
        summary="Set a new password with the uid and token from the reset email",
        request=serializers.PasswordResetConfirmSerializer,
        responses={200: serializers.DetailSerializer, **errors(400, 429)},
    )
    def post(self, request):
        serializer = serializers.PasswordResetConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_reset_confirm(**serializer.validated_data)
        return Response({"detail": "Password has been reset. Log in with the new password."})


class VerifyEmailView(PublicAuthView):
    throttle_scope = "verify_email"

    @extend_schema(
        tags=["auth"],
        summary="Verify an email address with the key from the verification email",
        request=serializers.VerifyEmailSerializer,
        responses={200: serializers.DetailSerializer, **errors(400, 429)},
    )
    def post(self, request):
        serializer = serializers.VerifyEmailSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.email_verify(key=serializer.validated_data["key"], request=request._request)
        return Response({"detail": "Email address verified."})


class ResendVerificationView(PublicAuthView):
    throttle_classes = [AuthIPThrottle, AuthEmailThrottle]
    throttle_scope = "verify_email_resend"

    @extend_schema(
        tags=["auth"],
        summary="Email a new verification link (same answer whatever the address)",
        request=serializers.EmailInputSerializer,
        responses={200: serializers.DetailSerializer, **errors(400, 429)},
    )
    def post(self, request):
        serializer = serializers.EmailInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.email_verification_resend(
            email=serializer.validated_data["email"], request=request._request
        )
        return Response(
            {"detail": "If this address awaits verification, we have emailed it a new link."}
        )


class GoogleLoginView(PublicAuthView):
    throttle_scope = "google"

    @extend_schema(
        tags=["auth"],
        summary="Log in (or sign up as a student) with Google",
        description=(
            "Send the `id_token` from Google Identity Services (preferred), an OAuth "
            "`access_token`, or an authorization `code` (with `redirect_uri`)."
        ),
        request=serializers.GoogleLoginSerializer,
        responses={
            200: serializers.AuthResponseSerializer,
            400: BAD_REQUEST,
            401: error_response("The account behind this Google identity is deactivated."),
            429: THROTTLED,
            503: error_response("Google login is not configured on this server."),
        },
    )
    def post(self, request):
        google.google_provider(request._request)  # 503 before anything else when unconfigured
        serializer = serializers.GoogleLoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        http_request = request._request
        if data.get("id_token"):
            identity = google.google_identity_from_id_token(http_request, data["id_token"])
        elif data.get("access_token"):
            identity = google.google_identity_from_access_token(http_request, data["access_token"])
        else:
            identity = google.google_identity_from_code(
                http_request, data["code"], data["redirect_uri"]
            )
        user = services.user_google_login(identity=identity)
        return Response({**token_pair_for(user), "user": serializers.UserSerializer(user).data})
