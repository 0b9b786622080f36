"""The catalog endpoints: courses and their outline."""

from functools import partial

import django_filters
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from lms.audit.services import client_ip
from lms.common.filters import IdFilter, id_parameter
from lms.common.schema import (
    BAD_REQUEST,
    NOT_FOUND,
    errors,
)

from .. import access, cache, selectors, services
from ..models import Course
from ..permissions import CanEditCourse, ReadOnlyOrInstructorOrAdmin
from ..serializers import (
    CourseOutlineSerializer,
    CourseSerializer,
    CourseWriteSerializer,
)

# --- Courses ------------------------------------------------------------------------


class CourseFilter(django_filters.FilterSet):
    instructor = IdFilter(field_name="instructor_id", help_text="Instructor id.")
    is_free = django_filters.ChoiceFilter(
        choices=[(value, value) for value in ("true", "false", "1", "0")],
        method="filter_is_free",
        help_text="Price is 0.",
    )
    slug = django_filters.CharFilter(
        help_text="Exact slug: the course of a `/courses/{slug}` page (0 or 1 result)."
    )

    class Meta:
        model = Course
        fields = ["instructor", "is_free", "slug"]

    def filter_is_free(self, queryset, name, value):
        free = value in ("true", "1")
        return queryset.filter(price=0) if free else queryset.filter(price__gt=0)


#: Anonymous answers come from the catalog cache with validators (lms/courses/cache.py).
CONDITIONAL = [
    OpenApiParameter(
        "If-None-Match", str, OpenApiParameter.HEADER, description="Anonymous: an ETag seen."
    ),
    OpenApiParameter(
        "If-Modified-Since", str, OpenApiParameter.HEADER, description="Anonymous: a date seen."
    ),
    OpenApiParameter(
        "ETag", str, OpenApiParameter.HEADER, response=[200, 304], description="Anonymous only."
    ),
    OpenApiParameter(
        "Last-Modified", str, OpenApiParameter.HEADER, response=[200, 304],
        description="Anonymous only.",
    ),
]  # fmt: skip
NOT_MODIFIED = OpenApiResponse(description="Anonymous conditional request: unchanged.")


@extend_schema_view(
    list=extend_schema(
        summary="The catalog",
        description="Published courses; an instructor also sees their own drafts, an admin all.",
        parameters=[
            OpenApiParameter("search", str, description="Words in the title or description."),
            id_parameter("instructor", "Only this instructor's courses."),
            OpenApiParameter("is_free", bool, description="Free (price 0) or paid courses."),
            OpenApiParameter(
                "ordering",
                str,
                enum=["title", "-title", "created_at", "-created_at", "price", "-price"],
                description="Sort order (default: newest first).",
            ),
            *CONDITIONAL,
        ],
        responses={200: CourseSerializer(many=True), 304: NOT_MODIFIED, 400: BAD_REQUEST},
    ),
    retrieve=extend_schema(
        summary="One course",
        parameters=CONDITIONAL,
        responses={200: CourseSerializer, 304: NOT_MODIFIED, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Create a course (instructor or admin)",
        description="The caller is the instructor; an admin may name `instructor_id`. "
        "JSON, or multipart to upload a `thumbnail`.",
        request=CourseWriteSerializer,
        responses={201: CourseSerializer, **errors(400, 401, 403)},
    ),
    update=extend_schema(
        summary="Replace a course (its instructor or an admin)",
        request=CourseWriteSerializer,
        responses={200: CourseSerializer, **errors(400, 401, 403, 404)},
    ),
    partial_update=extend_schema(
        summary="Change a course (its instructor or an admin)",
        request=CourseWriteSerializer,
        responses={200: CourseSerializer, **errors(400, 401, 403, 404)},
    ),
    destroy=extend_schema(
        summary="Delete a course (its instructor or an admin)",
        description="Refused with 409 while the course has active enrollments (or any "
        "enrollment or payment history): unpublish it instead.",
        responses={204: None, **errors(401, 403, 404, 409)},
    ),
)
class CourseViewSet(viewsets.ModelViewSet):
    """Courses: a public catalog; the course's instructor or an admin changes them."""

    serializer_class = CourseSerializer
    permission_classes = [ReadOnlyOrInstructorOrAdmin, CanEditCourse]
    filterset_class = CourseFilter
    search_fields = ["title", "description"]
    ordering_fields = ["title", "created_at", "price"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        if self.action == "outline":
            return selectors.courses_with_outline(self.request.user)
        return selectors.catalog_visible_to(self.request.user)

    def _cached_when_anonymous(self, request, build):
        if request.user.is_authenticated:
            return build()
        return cache.cached_anonymous_answer(request, build)

    def list(self, request, *args, **kwargs):
        return self._cached_when_anonymous(request, partial(super().list, request, *args, **kwargs))

    def retrieve(self, request, *args, **kwargs):
        build = partial(super().retrieve, request, *args, **kwargs)
        return self._cached_when_anonymous(request, build)

    def _read(self, course: Course, status_code=status.HTTP_200_OK) -> Response:
        course = selectors.catalog_visible_to(self.request.user).get(pk=course.pk)
        return Response(self.get_serializer(course).data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = CourseWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["instructor"] = data.get("instructor") or request.user
        course = services.course_create(**data, acting_user=request.user, ip=client_ip(request))
        return self._read(course, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        course = self.get_object()
        serializer = CourseWriteSerializer(
            course,
            data=request.data,
            partial=kwargs.get("partial", False),
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        course = services.course_update(
            course=course,
            data=dict(serializer.validated_data),
            acting_user=request.user,
            ip=client_ip(request),
        )
        return self._read(course)

    def perform_destroy(self, instance):
        services.course_delete(
            course=instance, acting_user=self.request.user, ip=client_ip(self.request)
        )

    @extend_schema(
        summary="A course's outline (public for published courses)",
        description="Modules with their lessons' id, title, order, is_preview, "
        "duration_minutes, `locked` and `available_at` (for the caller); never lesson "
        "content. Also the course's `prerequisites` and `sequential`. Drafts: their "
        "instructor and admins only.",
        parameters=CONDITIONAL,
        responses={200: CourseOutlineSerializer, 304: NOT_MODIFIED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def outline(self, request, pk=None):
        build = partial(self._outline, request)
        return self._cached_when_anonymous(request, build)

    def _outline(self, request):
        course = self.get_object()
        lessons = [lesson for module in course.modules.all() for lesson in module.lessons.all()]
        locks = access.lesson_locks_for(request.user, lessons)
        return Response(CourseOutlineSerializer(course, context={"locks": locks}).data)
