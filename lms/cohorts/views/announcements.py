"""`courses/{id}/announcements/` (post one) and `announcements/` (read, edit, delete)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.common.filters import id_parameter, id_query_param
from lms.common.schema import FORBIDDEN, errors
from lms.courses.selectors import courses_visible_to
from lms.courses.viewsets import ParentScopedMixin

from ..permissions import IsAuthorOrAdminToWrite, course_run_by
from ..selectors import announcements_visible_to, courses_with_readable_announcements
from ..serializers import (
    AnnouncementCreateSerializer,
    AnnouncementSerializer,
    AnnouncementUpdateSerializer,
)
from ..services import announcement_create, announcement_delete, announcement_update


class CourseAnnouncementView(APIView):
    """Post an announcement to everyone learning in a course."""

    @extend_schema(
        summary="Post an announcement to a course",
        description="The course's instructor or an admin (others 403; a course outside the "
        "caller's catalog 404). Every active or completed enrollee gets a notification, and "
        "an email (sent in the background after the answer) unless `send_email` is false or "
        "they turned `email_notifications` off. A failing mail server never fails this call.",
        request=AnnouncementCreateSerializer,
        responses={201: AnnouncementSerializer, **errors(400, 401, 403, 404)},
    )
    def post(self, request, pk: int):
        course = course_run_by(request.user, pk)
        serializer = AnnouncementCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        announcement = announcement_create(
            course=course, author=request.user, **serializer.validated_data
        )
        return Response(AnnouncementSerializer(announcement).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="Announcements",
        description="Newest first: those of the courses you teach or learn in (active or "
        "completed enrollment); an admin reads all. `?course_id=` of a course you neither "
        "teach nor learn in → 403 (outside your catalog → 404).",
        parameters=[id_parameter("course_id", "Only this course's announcements.")],
        responses={200: AnnouncementSerializer(many=True), **errors(400, 401, 403, 404)},
    ),
    retrieve=extend_schema(
        summary="An announcement",
        responses={200: AnnouncementSerializer, **errors(401, 404)},
    ),
    partial_update=extend_schema(
        summary="Edit an announcement",
        description="Its author or an admin (other readers 403). The notifications already "
        "told show the new text; emails already sent stay as they were.",
        request=AnnouncementUpdateSerializer,
        responses={200: AnnouncementSerializer, **errors(400, 401, 404), 403: FORBIDDEN},
    ),
    destroy=extend_schema(
        summary="Delete an announcement",
        description="Its author or an admin (other readers 403); its notifications go too.",
        responses={204: None, **errors(401, 403, 404)},
    ),
)
class AnnouncementViewSet(
    ParentScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Announcements to the courses a user teaches or learns in."""

    serializer_class = AnnouncementSerializer
    filterset_class = None
    filter_backends = []
    http_method_names = ["get", "patch", "delete", "head", "options"]
    permission_classes = [permissions.IsAuthenticated, IsAuthorOrAdminToWrite]

    def get_queryset(self):
        return announcements_visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        course_id = id_query_param(request, "course_id")
        self.require_readable_parent(
            course_id,
            readable=courses_with_readable_announcements(request.user),
            findable=courses_visible_to(request.user),
            denied="Only the course's students, its instructor and admins read its announcements.",
        )
        announcements = self.get_queryset()
        if course_id is not None:
            announcements = announcements.filter(course_id=course_id)
        page = self.paginate_queryset(announcements)
        return self.get_paginated_response(AnnouncementSerializer(page, many=True).data)

    def update(self, request, *args, **kwargs):
        announcement = self.get_object()
        serializer = AnnouncementUpdateSerializer(announcement, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        announcement = announcement_update(
            announcement=announcement, data=serializer.validated_data
        )
        return Response(AnnouncementSerializer(announcement).data)

    def perform_destroy(self, instance):
        announcement_delete(announcement=instance)
