"""The catalog and content endpoints: thin viewsets over the selectors and services."""

import django_filters
from django.contrib.auth import get_user_model
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from lms.common.filters import IdFilter, id_parameter, id_query_param
from lms.common.permissions import is_admin
from lms.common.schema import (
    BAD_REQUEST,
    NOT_FOUND,
    error_response,
    errors,
)

from . import selectors, services
from .models import Course
from .permissions import CanEditCourse, ReadOnlyOrInstructorOrAdmin, course_of
from .serializers import (
    ContentItemSerializer,
    CourseOutlineSerializer,
    CourseSerializer,
    CourseWriteSerializer,
    LessonSerializer,
    ModuleSerializer,
    MoveSerializer,
)

User = get_user_model()

# --- Courses ------------------------------------------------------------------------


class CourseFilter(django_filters.FilterSet):
    instructor = IdFilter(field_name="instructor_id", help_text="Instructor id.")
    is_free = django_filters.ChoiceFilter(
        choices=[(value, value) for value in ("true", "false", "1", "0")],
        method="filter_is_free",
        help_text="Price is 0.",
    )

    class Meta:
        model = Course
        fields = ["instructor", "is_free"]

    def filter_is_free(self, queryset, name, value):
        free = value in ("true", "1")
        return queryset.filter(price=0) if free else queryset.filter(price__gt=0)


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
        ],
        responses={200: CourseSerializer(many=True), 400: BAD_REQUEST},
    ),
    retrieve=extend_schema(summary="One course", responses={200: CourseSerializer, 404: NOT_FOUND}),
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

    def _read(self, course: Course, status_code=status.HTTP_200_OK) -> Response:
        course = selectors.catalog_visible_to(self.request.user).get(pk=course.pk)
        return Response(self.get_serializer(course).data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = CourseWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["instructor"] = data.get("instructor") or request.user
        course = services.course_create(**data)
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
        course = services.course_update(course=course, data=dict(serializer.validated_data))
        return self._read(course)

    def perform_destroy(self, instance):
        services.course_delete(course=instance)

    @extend_schema(
        summary="A course's outline (public for published courses)",
        description="Modules with their lessons' id, title, order, is_preview and "
        "duration_minutes; never lesson content. Drafts: their instructor and admins only.",
        responses={200: CourseOutlineSerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def outline(self, request, pk=None):
        return Response(CourseOutlineSerializer(self.get_object()).data)


# --- Content ------------------------------------------------------------------------

COURSE_ID = id_parameter("course_id", "Only this course's rows.")
MODULE_ID = id_parameter("module_id", "Only this module's rows.")
COURSE_CLOSED = "You cannot read this course's content."
LESSON_ID = id_parameter("lesson_id", "Only this lesson's rows.")
LIST_ERRORS = {
    400: BAD_REQUEST,
    401: error_response("Filtered by a course/lesson and not logged in."),
    403: error_response("Filtered by a course/module/lesson the caller cannot read."),
}


def _content_schema(noun: str, serializer, filters: list[OpenApiParameter]):
    return extend_schema_view(
        list=extend_schema(
            summary=f"List {noun}s",
            description=f"Only the {noun}s the caller may read (enrolled students, the "
            "course's instructor, admins; preview lessons for anyone).",
            parameters=filters,
            responses={200: serializer(many=True), **LIST_ERRORS},
        ),
        retrieve=extend_schema(summary=f"One {noun}", responses={200: serializer, 404: NOT_FOUND}),
        create=extend_schema(
            summary=f"Create a {noun} (the course's instructor or an admin)",
            description="Appended at the end unless `order` is given (later ones move down).",
            responses={201: serializer, **errors(400, 401, 403)},
        ),
        update=extend_schema(
            summary=f"Replace a {noun}", responses={200: serializer, **errors(400, 401, 403, 404)}
        ),
        partial_update=extend_schema(
            summary=f"Change a {noun}", responses={200: serializer, **errors(400, 401, 403, 404)}
        ),
        destroy=extend_schema(
            summary=f"Delete a {noun} (later ones move up)",
            responses={204: None, **errors(401, 403, 404)},
        ),
        move=extend_schema(
            summary=f"Move a {noun} to another position",
            request=MoveSerializer,
            responses={200: serializer, **errors(400, 401, 403, 404)},
        ),
    )


class ContentViewSet(viewsets.ModelViewSet):
    """Shared shape of the module, lesson and content item endpoints."""

    permission_classes = [ReadOnlyOrInstructorOrAdmin, CanEditCourse]
    filter_backends: list = []
    readable = staticmethod(lambda user: None)
    service_calls: dict = {}

    def get_queryset(self):
        return self.readable(self.request.user)

    def filter_list(self, queryset):
        return queryset

    def require_readable(self, parents, pk: int, message: str) -> None:
        """Refuse a list filtered by a parent the caller cannot read: 401 anonymous, else 403."""
        if not is_admin(self.request.user) and not parents.filter(pk=pk).exists():
            self.permission_denied(self.request, message=message)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_list(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _check_parent(self, serializer):
        parent = serializer.validated_data[serializer.parent_field]
        if not selectors.can_edit_course(self.request.user, course_of(parent)):
            raise PermissionDenied(CanEditCourse.message)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self._check_parent(serializer)
        obj = self.service_calls["create"](**serializer.validated_data)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        obj = self.get_object()
        serializer = self.get_serializer(
            obj, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        obj = self.service_calls["update"](obj, dict(serializer.validated_data))
        return Response(self.get_serializer(obj).data)

    def perform_destroy(self, instance):
        self.service_calls["delete"](instance)

    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        obj = self.get_object()
        serializer = MoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self.service_calls["move"](obj, serializer.validated_data["order"])
        return Response(self.get_serializer(obj).data)


@_content_schema("module", ModuleSerializer, [COURSE_ID])
class ModuleViewSet(ContentViewSet):
    """Modules of a course."""

    serializer_class = ModuleSerializer
    readable = staticmethod(selectors.modules_readable_by)
    service_calls = {
        "create": lambda **data: services.module_create(**data),
        "update": lambda obj, data: services.module_update(module=obj, data=data),
        "delete": lambda obj: services.module_delete(module=obj),
        "move": lambda obj, order: services.module_move(module=obj, order=order),
    }

    def filter_list(self, queryset):
        course_id = id_query_param(self.request, "course_id")
        if course_id is not None:
            self.require_readable(
                selectors.courses_with_readable_content(self.request.user),
                course_id,
                COURSE_CLOSED,
            )
            queryset = queryset.filter(course_id=course_id)
        return queryset


@_content_schema("lesson", LessonSerializer, [COURSE_ID, MODULE_ID])
class LessonViewSet(ContentViewSet):
    """Lessons of a module; `is_preview` lessons are readable by anyone."""

    serializer_class = LessonSerializer
    readable = staticmethod(selectors.lessons_readable_by)
    service_calls = {
        "create": lambda **data: services.lesson_create(**data),
        "update": lambda obj, data: services.lesson_update(lesson=obj, data=data),
        "delete": lambda obj: services.lesson_delete(lesson=obj),
        "move": lambda obj, order: services.lesson_move(lesson=obj, order=order),
    }

    def filter_list(self, queryset):
        course_id = id_query_param(self.request, "course_id")
        module_id = id_query_param(self.request, "module_id")
        user = self.request.user
        if course_id is not None:
            self.require_readable(
                selectors.courses_with_readable_content(user), course_id, COURSE_CLOSED
            )
            queryset = queryset.filter(module__course_id=course_id)
        if module_id is not None:
            self.require_readable(
                selectors.modules_readable_by(user),
                module_id,
                "You cannot read this module's lessons.",
            )
            queryset = queryset.filter(module_id=module_id)
        return queryset


@_content_schema("content item", ContentItemSerializer, [LESSON_ID])
class ContentItemViewSet(ContentViewSet):
    """Videos, PDFs, files, texts and links inside a lesson."""

    serializer_class = ContentItemSerializer
    readable = staticmethod(selectors.content_items_readable_by)
    service_calls = {
        "create": lambda **data: services.content_item_create(**data),
        "update": lambda obj, data: services.content_item_update(item=obj, data=data),
        "delete": lambda obj: services.content_item_delete(item=obj),
        "move": lambda obj, order: services.content_item_move(item=obj, order=order),
    }

    def filter_list(self, queryset):
        lesson_id = id_query_param(self.request, "lesson_id")
        if lesson_id is not None:
            self.require_readable(
                selectors.lessons_readable_by(self.request.user),
                lesson_id,
                "You cannot read this lesson's content.",
            )
            queryset = queryset.filter(lesson_id=lesson_id)
        return queryset
