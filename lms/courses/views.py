"""The catalog and content endpoints: thin viewsets over the selectors and services."""

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
from lms.common.filters import IdFilter, id_parameter, id_query_param
from lms.common.schema import (
    BAD_REQUEST,
    NOT_FOUND,
    error_response,
    errors,
)

from . import cache, selectors, services
from .models import ContentItem, Course, Lesson, Module
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
from .viewsets import ParentScopedMixin

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
        description="Modules with their lessons' id, title, order, is_preview and "
        "duration_minutes; never lesson content. Drafts: their instructor and admins only.",
        parameters=CONDITIONAL,
        responses={200: CourseOutlineSerializer, 304: NOT_MODIFIED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def outline(self, request, pk=None):
        build = partial(self._outline, request)
        return self._cached_when_anonymous(request, build)

    def _outline(self, request):
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


class ContentViewSet(ParentScopedMixin, viewsets.ModelViewSet):
    """Shared shape of the module, lesson and content item endpoints."""

    permission_classes = [ReadOnlyOrInstructorOrAdmin, CanEditCourse]
    filter_backends: list = []

    def filter_list(self, queryset):
        """The list narrowed by the endpoint's parent filters."""
        return queryset

    def list(self, request, *args, **kwargs):
        queryset = self.filter_list(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        parent = serializer.validated_data[serializer.parent_field]
        self.require_editable(course_of(parent), CanEditCourse.message)
        obj = self.create_row(serializer.validated_data)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        obj = self.get_object()
        serializer = self.get_serializer(
            obj, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        obj = self.update_row(obj, dict(serializer.validated_data))
        return Response(self.get_serializer(obj).data)

    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        obj = self.get_object()
        serializer = MoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self.move_row(obj, serializer.validated_data["order"])
        return Response(self.get_serializer(obj).data)

    # Each kind of row names its services (deleting is DRF's own `perform_destroy`).

    def create_row(self, data: dict):
        raise NotImplementedError

    def update_row(self, obj, data: dict):
        raise NotImplementedError

    def move_row(self, obj, order: int):
        raise NotImplementedError


@_content_schema("module", ModuleSerializer, [COURSE_ID])
class ModuleViewSet(ContentViewSet):
    """Modules of a course."""

    serializer_class = ModuleSerializer

    def get_queryset(self):
        return selectors.modules_readable_by(self.request.user)

    def filter_list(self, modules):
        course_id = id_query_param(self.request, "course_id")
        self.require_readable_parent(
            course_id,
            readable=selectors.courses_with_readable_content(self.request.user),
            denied=COURSE_CLOSED,
        )
        return modules if course_id is None else modules.filter(course_id=course_id)

    def create_row(self, data: dict) -> Module:
        return services.module_create(**data)

    def update_row(self, module: Module, data: dict) -> Module:
        return services.module_update(module=module, data=data)

    def move_row(self, module: Module, order: int) -> Module:
        return services.module_move(module=module, order=order)

    def perform_destroy(self, module: Module) -> None:
        services.module_delete(module=module)


@_content_schema("lesson", LessonSerializer, [COURSE_ID, MODULE_ID])
class LessonViewSet(ContentViewSet):
    """Lessons of a module; `is_preview` lessons are readable by anyone."""

    serializer_class = LessonSerializer

    def get_queryset(self):
        return selectors.lessons_readable_by(self.request.user)

    def filter_list(self, lessons):
        user = self.request.user
        course_id = id_query_param(self.request, "course_id")
        module_id = id_query_param(self.request, "module_id")
        self.require_readable_parent(
            course_id, readable=selectors.courses_with_readable_content(user), denied=COURSE_CLOSED
        )
        self.require_readable_parent(
            module_id,
            readable=selectors.modules_readable_by(user),
            denied="You cannot read this module's lessons.",
        )
        if course_id is not None:
            lessons = lessons.filter(module__course_id=course_id)
        return lessons if module_id is None else lessons.filter(module_id=module_id)

    def create_row(self, data: dict) -> Lesson:
        return services.lesson_create(**data)

    def update_row(self, lesson: Lesson, data: dict) -> Lesson:
        return services.lesson_update(lesson=lesson, data=data)

    def move_row(self, lesson: Lesson, order: int) -> Lesson:
        return services.lesson_move(lesson=lesson, order=order)

    def perform_destroy(self, lesson: Lesson) -> None:
        services.lesson_delete(lesson=lesson)


@_content_schema("content item", ContentItemSerializer, [LESSON_ID])
class ContentItemViewSet(ContentViewSet):
    """Videos, PDFs, files, texts and links inside a lesson."""

    serializer_class = ContentItemSerializer

    def get_queryset(self):
        return selectors.content_items_readable_by(self.request.user)

    def filter_list(self, items):
        lesson_id = id_query_param(self.request, "lesson_id")
        self.require_readable_parent(
            lesson_id,
            readable=selectors.lessons_readable_by(self.request.user),
            denied="You cannot read this lesson's content.",
        )
        return items if lesson_id is None else items.filter(lesson_id=lesson_id)

    def create_row(self, data: dict) -> ContentItem:
        return services.content_item_create(**data)

    def update_row(self, item: ContentItem, data: dict) -> ContentItem:
        return services.content_item_update(item=item, data=data)

    def move_row(self, item: ContentItem, order: int) -> ContentItem:
        return services.content_item_move(item=item, order=order)

    def perform_destroy(self, item: ContentItem) -> None:
        services.content_item_delete(item=item)
