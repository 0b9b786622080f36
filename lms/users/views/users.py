"""The users resource: an admin lists and changes users; a user reads and edits themselves."""

from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from lms.audit.services import client_ip
from lms.common.permissions import IsAdmin, is_admin
from lms.common.schema import (
    UNAUTHORIZED,
    error_response,
    errors,
)

from .. import serializers, services
from ..filters import UserFilter
from ..models import User
from ..permissions import IsSelfOrAdmin
from ..selectors import users_visible_to

# --- Users resource -----------------------------------------------------------------

ADMINS_ONLY = error_response("Only admins list users.")
LAST_ADMIN = error_response("The last active admin cannot lose the role.")
USER_EDIT_DOC = (
    "A user edits `first_name`, `last_name`, `cohort`, `email_notifications` (off: no "
    "notification emails; account emails still come). Sending `email`, `role`, `is_active` "
    "or `is_staff` unchanged is accepted (a PUT of the object as read); changing them is a "
    "400. An admin may also change `role` and `is_active` (`is_staff` follows the role)."
)


@extend_schema_view(
    list=extend_schema(
        summary="List users (admin)",
        parameters=[
            OpenApiParameter("role", str, enum=[c.value for c in User.Role]),
            OpenApiParameter("cohort", str, description="Exact cohort (case-insensitive)."),
            OpenApiParameter("is_active", bool),
        ],
        responses={200: serializers.UserSerializer(many=True), 401: UNAUTHORIZED, 403: ADMINS_ONLY},
    ),
    retrieve=extend_schema(
        summary="A user (themselves or admin)",
        responses={200: serializers.UserSerializer, **errors(401, 404)},
    ),
    update=extend_schema(
        summary="Edit a user",
        description=USER_EDIT_DOC,
        request=serializers.AdminUserUpdateSerializer,
        responses={
            200: serializers.UserSerializer,
            **errors(400, 401, 404),
            409: LAST_ADMIN,
        },
    ),
    partial_update=extend_schema(
        summary="Edit some fields of a user",
        description=USER_EDIT_DOC,
        request=serializers.AdminUserUpdateSerializer,
        responses={
            200: serializers.UserSerializer,
            **errors(400, 401, 404),
            409: LAST_ADMIN,
        },
    ),
    destroy=extend_schema(
        summary="Deactivate a user (records are kept; the user can no longer log in)",
        responses={
            204: None,
            **errors(401, 404),
            409: error_response("The last active admin cannot be deactivated."),
        },
    ),
)
class UserViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Accounts: admins manage everyone; a user sees and edits only their own."""

    serializer_class = serializers.UserSerializer
    filterset_class = UserFilter
    search_fields = ["email", "first_name", "last_name"]
    ordering_fields = ["id", "email", "last_name", "date_joined"]
    ordering = ["id"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return users_visible_to(self.request.user)

    def get_permissions(self):
        if self.action == "list":
            return [IsAdmin()]
        return [IsAuthenticated(), IsSelfOrAdmin()]

    def get_serializer_class(self):
        if self.action in ("update", "partial_update", "me") and self.request.method in (
            "PUT",
            "PATCH",
        ):
            if is_admin(self.request.user):
                return serializers.AdminUserUpdateSerializer
            return serializers.UserUpdateSerializer
        return serializers.UserSerializer

    def get_object(self):
        # `me/` names the caller (DRF's OPTIONS metadata asks it for an object too).
        if self.lookup_field not in self.kwargs:
            return self.request.user
        return super().get_object()

    def _update(self, request, user, partial: bool) -> Response:
        serializer = self.get_serializer(user, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        user = services.user_update(
            user=user,
            acting_user=request.user,
            data=serializer.validated_data,
            ip=client_ip(request),
        )
        return Response(serializers.UserSerializer(user).data)

    def update(self, request, *args, **kwargs):
        return self._update(request, self.get_object(), partial=kwargs.get("partial", False))

    def destroy(self, request, *args, **kwargs):
        services.user_set_active(
            user=self.get_object(),
            is_active=False,
            acting_user=request.user,
            ip=client_ip(request),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["GET"],
        summary="My profile",
        responses={200: serializers.UserSerializer, 401: UNAUTHORIZED},
    )
    @extend_schema(
        methods=["PUT", "PATCH"],
        summary="Edit my profile",
        description=USER_EDIT_DOC,
        request=serializers.UserUpdateSerializer,
        responses={200: serializers.UserSerializer, **errors(400, 401), 409: LAST_ADMIN},
    )
    @action(
        detail=False, methods=["get", "put", "patch"], filter_backends=[], pagination_class=None
    )
    def me(self, request):
        if request.method == "GET":
            return Response(serializers.UserSerializer(request.user).data)
        return self._update(request, self.get_object(), partial=request.method == "PATCH")
