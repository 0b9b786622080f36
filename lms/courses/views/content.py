"""The content endpoints: modules, lessons and content items, with the lesson locks."""

from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from lms.common.filters import id_parameter, id_query_param
from lms.common.schema import (
    BAD_REQUEST,
    NOT_FOUND,
    error_response,
    errors,
)

from .. import access, selectors, services
from ..errors import lesson_locked_response
from ..models import ContentItem, Lesson, Module
from ..permissions import CanEditCourse, ReadOnlyOrInstructorOrAdmin, course_of
from ..serializers import (
    ContentItemSerializer,
    LessonSerializer,
    ModuleSerializer,
    MoveSerializer,
)
from ..viewsets import ParentScopedMixin

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


def _content_schema(
    noun: str,
    serializer,
    filters: list[OpenApiParameter],
    *,
    list_note: str = "",
    list_errors: dict | None = None,
    retrieve_errors: dict | None = None,
):
    return extend_schema_view(
        list=extend_schema(
            summary=f"List {noun}s",
            description=f"Only the {noun}s the caller may read (enrolled students, the "
            f"course's instructor, admins; preview lessons for anyone).{list_note}",
            parameters=filters,
            responses={200: serializer(many=True), **LIST_ERRORS, **(list_errors or {})},
        ),
        retrieve=extend_schema(
            summary=f"One {noun}",
            responses={200: serializer, 404: NOT_FOUND, **(retrieve_errors or {})},
        ),
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
        serializer = self.get_serializer(page, many=True)
        serializer.context.update(self.list_context(page))
        return self.get_paginated_response(serializer.data)

    def list_context(self, page: list) -> dict:
        """What a list page's rows need beyond themselves (computed once per page)."""
        return {}

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


LOCKED = lesson_locked_response("The lesson is locked for the caller.")


@_content_schema(
    "lesson",
    LessonSerializer,
    [COURSE_ID, MODULE_ID],
    list_note=" Every lesson carries `locked` and `available_at`; a locked one has no `content`.",
    retrieve_errors={403: LOCKED},
)
class LessonViewSet(ContentViewSet):
    """Lessons of a module; `is_preview` lessons are readable by anyone."""

    serializer_class = LessonSerializer

    def get_queryset(self):
        return selectors.lessons_readable_by(self.request.user)

    def get_object(self):
        lesson = super().get_object()
        access.lesson_lock_check(self.request.user, lesson)
        return lesson

    def list_context(self, page: list) -> dict:
        return {"locks": access.lesson_locks_for(self.request.user, page)}

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


@_content_schema(
    "content item",
    ContentItemSerializer,
    [LESSON_ID],
    list_note=" Items of a locked lesson are not listed; with `lesson_id` of a locked "
    "lesson: 403 `lesson_locked`.",
    list_errors={403: lesson_locked_response("Filtered by a lesson the caller cannot read (yet).")},
    retrieve_errors={403: lesson_locked_response("Its lesson is locked for the caller.")},
)
class ContentItemViewSet(ContentViewSet):
    """Videos, PDFs, files, texts and links inside a lesson."""

    serializer_class = ContentItemSerializer

    def get_queryset(self):
        return selectors.content_items_readable_by(self.request.user)

    def get_object(self):
        item = super().get_object()
        access.lesson_lock_check(self.request.user, item.lesson)
        return item

    def filter_list(self, items):
        user = self.request.user
        lesson_id = id_query_param(self.request, "lesson_id")
        readable = selectors.lessons_readable_by(user)
        self.require_readable_parent(
            lesson_id, readable=readable, denied="You cannot read this lesson's content."
        )
        if lesson_id is not None:
            lesson = readable.filter(pk=lesson_id).first()
            if lesson is not None:
                access.lesson_lock_check(user, lesson)
            return items.filter(lesson_id=lesson_id)
        # A locked lesson's items are not listed: nothing of it is read before it opens.
        return items.exclude(lesson_id__in=access.lessons_locked_in(user, readable))

    def create_row(self, data: dict) -> ContentItem:
        return services.content_item_create(**data)

    def update_row(self, item: ContentItem, data: dict) -> ContentItem:
        return services.content_item_update(item=item, data=data)

    def move_row(self, item: ContentItem, order: int) -> ContentItem:
        return services.content_item_move(item=item, order=order)

    def perform_destroy(self, item: ContentItem) -> None:
        services.content_item_delete(item=item)
