"""Request and response bodies of the auth and users endpoints."""

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import exceptions, serializers
from rest_framework.fields import empty
from rest_framework_simplejwt import serializers as jwt_serializers

from .models import User
from .services import email_is_verified
from .tokens import refresh_token_for, token_pair_rotate

NOT_EDITABLE = "You cannot change this field."


def _validate_password(password: str, user: User, field: str) -> None:
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as exc:
        raise serializers.ValidationError({field: list(exc.messages)}) from exc


class UserSerializer(serializers.ModelSerializer):
    """The public user object: never the password hash or permission internals."""

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "role",
            "cohort",
            "email_notifications",
            "date_joined",
        ]
        read_only_fields = fields


# The user as other objects show them (a course's instructor, an enrollment's student). The
# classes that name a schema component derive from these two; no docstrings, since the
# schema would take them as the components' descriptions.
class UserSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "first_name", "last_name"]


class UserSummaryWithEmailSerializer(UserSummarySerializer):
    class Meta(UserSummarySerializer.Meta):
        fields = ["id", "email", "first_name", "last_name"]


class OptionalBooleanField(serializers.BooleanField):
    """A boolean that a form (multipart or urlencoded) leaves unchanged by leaving it out.

    DRF reads a boolean missing from a form as `false` (an unticked checkbox), which would
    turn a profile edit sent as a form into "deactivate me".
    """

    default_empty_html = empty

    def to_internal_value(self, data):
        # In JSON the schema's boolean is `true`/`false` only; a form sends text.
        request = self.context.get("request")
        sent_as_json = request is not None and "json" in (request.content_type or "")
        if sent_as_json and not isinstance(data, bool):
            self.fail("invalid", input=data)
        if not sent_as_json and data not in ("true", "false", "True", "False", True, False):
            self.fail("invalid", input=data)
        return super().to_internal_value(data)


@extend_schema_serializer(exclude_fields=["email", "role", "is_active", "is_staff"])
class UserUpdateSerializer(serializers.ModelSerializer):
    """A user's edit of their own profile.

    `email`, `role`, `is_active` and `is_staff` may be sent back unchanged (a PUT of the
    object as read); a different value is a 400.
    """

    protected_fields = ("email", "role", "is_active", "is_staff")

    email = serializers.EmailField(required=False)
    role = serializers.ChoiceField(choices=User.Role.choices, required=False)
    is_active = OptionalBooleanField(required=False)
    is_staff = OptionalBooleanField(required=False)
    email_notifications = OptionalBooleanField(
        required=False, help_text="Email me notifications; account emails are always sent."
    )

    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "cohort",
            "email_notifications",
            "email",
            "role",
            "is_active",
            "is_staff",
        ]

    def validate(self, attrs):
        errors = {}
        for name in self.protected_fields:
            if name not in attrs:
                continue
            value = attrs.pop(name)
            current = getattr(self.instance, name)
            if name == "email":
                value, current = value.strip().lower(), current.lower()
            if value != current:
                errors[name] = [NOT_EDITABLE]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


# The schema shows what an edit may change: `email` never, `is_staff` only as `role` implies.
@extend_schema_serializer(exclude_fields=["email", "is_staff"])
class AdminUserUpdateSerializer(UserUpdateSerializer):
    """An admin's edit of any user: also `role` and `is_active`; `is_staff` follows `role`."""

    protected_fields = ("email",)

    def validate(self, attrs):
        is_staff = attrs.pop("is_staff", None)
        attrs = super().validate(attrs)
        role = attrs.get("role", self.instance.role)
        if is_staff is not None and is_staff != (role == User.Role.ADMIN):
            raise serializers.ValidationError(
                {"is_staff": ["Staff status follows the role: only admins are staff."]}
            )
        return attrs


class RegisterSerializer(serializers.Serializer):
    """Sign-up input; whatever else the body says, the new account is a student."""

    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, trim_whitespace=False, max_length=128)
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    cohort = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")

    def validate_email(self, value):
        value = value.strip().lower()
        if User.objects.filter(email__iexact=value).exists():
            raise serializers.ValidationError("A user with this email address already exists.")
        return value

    def validate(self, attrs):
        probe = User(
            email=attrs["email"], first_name=attrs["first_name"], last_name=attrs["last_name"]
        )
        _validate_password(attrs["password"], probe, "password")
        return attrs


class TokenObtainPairSerializer(jwt_serializers.TokenObtainPairSerializer):
    """Email + password in; `access`, `refresh` and the user out. Bad credentials are 401."""

    default_error_messages = {
        "no_active_account": "No active account found with these credentials."
    }

    @classmethod
    def get_token(cls, user):
        return refresh_token_for(user)

    def validate(self, attrs):
        attrs[self.username_field] = attrs[self.username_field].strip().lower()
        data = super().validate(attrs)
        user = self.user
        if (
            settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory"
            and not user.is_superuser
            and not email_is_verified(user)
        ):
            raise exceptions.PermissionDenied(
                {
                    "detail": "Verify your email address first: follow the link we emailed you.",
                    "code": "email_not_verified",
                }
            )
        data["user"] = UserSerializer(user).data
        return data

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Login does not tell "no such email" apart from "wrong password".
        self.fields["email"] = serializers.CharField(write_only=True, max_length=254)
        self.fields["password"] = jwt_serializers.PasswordField(max_length=128)


class TokenRefreshSerializer(serializers.Serializer):
    """Spends a refresh token once; answers a new access and refresh token."""

    refresh = serializers.CharField(write_only=True)
    access = serializers.CharField(read_only=True)

    def validate(self, attrs):
        return token_pair_rotate(refresh=attrs["refresh"])

    def to_representation(self, instance):
        return instance


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class AuthResponseSerializer(TokenPairSerializer):
    user = UserSerializer()


class DetailSerializer(serializers.Serializer):
    """A success answer that only says what happened: `{"detail": "Logged out."}`."""

    detail = serializers.CharField()


class PasswordChangedSerializer(TokenPairSerializer):
    detail = serializers.CharField()


class RefreshInputSerializer(serializers.Serializer):
    refresh = serializers.CharField()


class TokenVerifyInputSerializer(serializers.Serializer):
    token = serializers.CharField()


# The password rules run in the service, after the old password was checked.
class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(trim_whitespace=False, max_length=128)
    new_password = serializers.CharField(trim_whitespace=False, max_length=128)


class EmailInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


# The password rules run in the service, after the link was checked.
class PasswordResetConfirmSerializer(serializers.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    new_password = serializers.CharField(trim_whitespace=False, max_length=128)


class VerifyEmailSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=255)


class GoogleLoginSerializer(serializers.Serializer):
    """One of `id_token` (preferred), `access_token` or `code` from Google's sign-in."""

    id_token = serializers.CharField(required=False, allow_blank=False)
    access_token = serializers.CharField(required=False, allow_blank=False)
    code = serializers.CharField(required=False, allow_blank=False)
    redirect_uri = serializers.CharField(
        required=False,
        default="postmessage",
        help_text="With `code`: the redirect URI the frontend used (popup flow: postmessage).",
    )

    def validate(self, attrs):
        if not any(attrs.get(name) for name in ("id_token", "access_token", "code")):
            raise serializers.ValidationError("Send one of id_token, access_token or code.")
        return attrs


class EraseSerializer(serializers.Serializer):
    """The credential that authorises erasing one's own account."""

    password = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=4096,
        trim_whitespace=False,
        help_text="Your password (every account that has one).",
    )
    id_token = serializers.CharField(
        required=False,
        allow_blank=False,
        max_length=8192,
        help_text="Accounts without a password (Google sign-up): a Google ID token issued "
        "within the last 10 minutes for the linked Google account.",
    )
