"""The caller's personal data: export it all, or erase it (anonymise the account)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.common.schema import error_response, errors

from .. import google, serializers
from ..personal_data import personal_data_export, user_erase
from ..throttles import AccountEraseThrottle

EXPORT_DOC = (
    "One JSON document of everything stored about the caller: `exported_at`, `user_id`, "
    "then a section per kind of record — `profile`, `email_addresses`, `social_accounts`, "
    "`enrollments`, `lesson_progress`, `certificates`, `quiz_submissions` (with every "
    "answer), `payments`, `notifications`, and the sections other apps register. "
    "Its size does not change the number of database queries."
)
ERASE_DOC = (
    "Anonymises the caller's account at once and for good: the email becomes "
    "`erased-{id}@invalid`, names and cohort are blanked, the password made unusable, "
    "the account deactivated, email addresses and linked Google accounts removed, every "
    "token revoked; logging in is impossible afterwards. Payments and certificates stay "
    "(legal records) under the anonymous account (a certificate's verification then "
    "names `Anonymous learner`); notifications are deleted; free-text quiz answers are "
    "erased, choices and scores kept. Send `password`, or for an account without one "
    "(Google sign-up) a fresh "
    "Google `id_token`. The last active admin is refused (409 `last_admin`). Attempts "
    "are limited per user like a password change (`THROTTLE_PASSWORD_CHANGE`)."
)


class PersonalDataExportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["users"],
        summary="Export my personal data",
        description=EXPORT_DOC,
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The whole document."),
            **errors(401),
        },
    )
    def get(self, request):
        return Response(personal_data_export(user=request.user))


class PersonalDataEraseView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [AccountEraseThrottle]

    @extend_schema(
        tags=["users"],
        summary="Erase my personal data (anonymise my account)",
        description=ERASE_DOC,
        request=serializers.EraseSerializer,
        responses={
            200: serializers.DetailSerializer,
            **errors(400, 401, 429),
            409: error_response("The last active admin cannot erase their account."),
            503: error_response("An `id_token` was sent but Google login is not configured."),
        },
    )
    def post(self, request):
        serializer = serializers.EraseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        identity = None
        if data.get("id_token") and not request.user.has_usable_password():
            identity = google.google_identity_from_id_token(request._request, data["id_token"])
        user_erase(user=request.user, password=data.get("password", ""), google=identity)
        return Response({"detail": "Your account has been erased."})
