"""Input validation and output shapes for courses, modules, lessons and content items."""

import os
from datetime import datetime

from django.contrib.auth import get_user_model
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from lms.common.permissions import is_admin
from lms.users.serializers import UserSummarySerializer

from . import downloads
from .access import UNLOCKED, LessonLock
from .models import MAX_RELEASE_DAYS, ContentItem, Course, Lesson, Module
from .selectors import courses_visible_to
from .services import http_url_validator

#: PositiveIntegerField's range on PostgreSQL; larger is bad input, not a database error.
MAX_CAPACITY = 2_147_483_647

User = get_user_model()
DATETIME = serializers.DateTimeField()


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class ProtectedFileField(serializers.FileField):
    """Accepts an upload; returns a short-lived URL only a reader of the file gets (or null)."""

    def __init__(self, *, kind: str, url_name: str, **kwargs):
        self.kind, self.url_name = kind, url_name
        super().__init__(**kwargs)

    def to_representation(self, value):
        if not value:
            return None
        return downloads.file_access_url(
            request=self.context.get("request"),
            field_file=value,
            kind=self.kind,
            pk=value.instance.pk,
            url_name=self.url_name,
        )


# --- Courses ------------------------------------------------------------------------


class InstructorSerializer(UserSummarySerializer):
    # A class of its own only to keep the schema component's name `Instructor` (and no
    # docstring: it would become the component's description).
    pass


class PrerequisiteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Course
        fields = ["id", "title"]


class CourseSerializer(serializers.ModelSerializer):
    """A catalog entry, with counts annotated by the selector."""

    instructor = InstructorSerializer(read_only=True)
    is_free = serializers.BooleanField(read_only=True)
    module_count = serializers.IntegerField(read_only=True)
    lesson_count = serializers.IntegerField(read_only=True)
    enrolled_count = serializers.IntegerField(
        read_only=True, help_text="Active and completed enrollments."
    )
    thumbnail = ProtectedFileField(kind="thumbnail", url_name="course-thumbnail", read_only=True)
    prerequisites = PrerequisiteSerializer(
        many=True,
        read_only=True,
        help_text="Courses to complete before enrolling (those the caller sees).",
    )

    class Meta:
        model = Course
        fields = [
            "id",
            "title",
            "slug",
            "description",
            "instructor",
            "price",
            "currency",
            "is_free",
            "is_published",
            "capacity",
            "thumbnail",
            "prerequisites",
            "sequential",
            "module_count",
            "lesson_count",
            "enrolled_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CourseWriteSerializer(serializers.ModelSerializer):
    """What an instructor or admin sends to create or change a course."""

    slug = serializers.SlugField(
        max_length=220,
        required=False,
        validators=[UniqueValidator(Course.objects.all(), message="This slug is taken.")],
        help_text="Generated from the title when not given.",
    )
    price = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=False)
    currency = serializers.RegexField(
        r"^[A-Za-z]{3}$",
        required=False,
        error_messages={"invalid": "Use a three-letter ISO 4217 code such as USD."},
    )
    capacity = serializers.IntegerField(
        min_value=1, max_value=MAX_CAPACITY, allow_null=True, required=False
    )
    thumbnail = serializers.FileField(
        required=False,
        allow_null=True,
        help_text="PNG, JPEG, GIF or WebP (multipart); null removes it.",
    )
    instructor_id = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role=User.Role.INSTRUCTOR, is_active=True),
        source="instructor",
        required=False,
        write_only=True,
        help_text="Admins only: the instructor who teaches the course (default: the caller).",
    )
    prerequisites = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Course.objects.all(),
        required=False,
        help_text="Ids of the courses a student completes before enrolling (the whole list; "
        "`[]` clears it). Not the course itself, and no cycle.",
    )

    class Meta:
        model = Course
        fields = [
            "title",
            "slug",
            "description",
            "price",
            "currency",
            "is_published",
            "capacity",
            "thumbnail",
            "instructor_id",
            "prerequisites",
            "sequential",
        ]
        extra_kwargs = {
            "sequential": {"help_text": "Each lesson opens once every earlier lesson is complete."}
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only courses the writer sees: any other id is "does not exist", as for a missing one.
        self.fields["prerequisites"].child_relation.queryset = courses_visible_to(_user(self))

    def validate_instructor_id(self, value):
        user = _user(self)
        if value is not None and value != user and not is_admin(user):
            raise serializers.ValidationError("Only an admin can choose the instructor.")
        return value


class LockedMixin(serializers.Serializer):
    """`locked` and `available_at` of a lesson, from the page's locks in the context."""

    locked = serializers.SerializerMethodField(
        help_text="Locked for the caller (sequential course, or not released yet)."
    )
    available_at = serializers.SerializerMethodField(
        help_text="While time-locked: when the lesson is released; else null."
    )

    def _lock(self, lesson: Lesson) -> LessonLock:
        return self.context.get("locks", {}).get(lesson.pk, UNLOCKED)

    def get_locked(self, lesson: Lesson) -> bool:
        return self._lock(lesson).locked

    def get_available_at(self, lesson: Lesson) -> datetime | None:
        available_at = self._lock(lesson).available_at
        return None if available_at is None else DATETIME.to_representation(available_at)


class LessonOutlineSerializer(LockedMixin, serializers.ModelSerializer):
    class Meta:
        model = Lesson
        fields = [
            "id",
            "title",
            "order",
            "is_preview",
            "duration_minutes",
            "locked",
            "available_at",
        ]


class ModuleOutlineSerializer(serializers.ModelSerializer):
    lessons = LessonOutlineSerializer(many=True, read_only=True)

    class Meta:
        model = Module
        fields = ["id", "title", "description", "order", "lessons"]


class CourseOutlineSerializer(serializers.ModelSerializer):
    """A course's modules and lesson titles; never lesson content."""

    modules = ModuleOutlineSerializer(many=True, read_only=True)
    prerequisites = PrerequisiteSerializer(many=True, read_only=True)

    class Meta:
        model = Course
        fields = ["id", "title", "slug", "is_published", "sequential", "prerequisites", "modules"]


# --- Content ------------------------------------------------------------------------


class MoveSerializer(serializers.Serializer):
    order = serializers.IntegerField(min_value=1, help_text="The new 1-based position.")


class _OrderedSerializer(serializers.ModelSerializer):
    """Parent is fixed at creation; `order` is given at creation or changed by `move/`."""

    parent_field: str = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get(self.parent_field)
        if field is not None and not field.read_only:
            # Any parent in the visible catalog; whether the caller may write there is a 403.
            field.queryset = self.parent_queryset(courses_visible_to(_user(self)).values("pk"))

    def parent_queryset(self, course_ids):
        raise NotImplementedError

    def validate(self, attrs):
        if self.instance is not None:
            parent = attrs.get(self.parent_field)
            if parent is not None and parent != getattr(self.instance, self.parent_field):
                raise serializers.ValidationError(
                    {self.parent_field: ["The parent cannot change; create a new one instead."]}
                )
            if "order" in attrs and attrs["order"] != self.instance.order:
                raise serializers.ValidationError(
                    {"order": ["Change the position with POST .../{id}/move/."]}
                )
            attrs.pop(self.parent_field, None)
            attrs.pop("order", None)
        return attrs


class ModuleSerializer(_OrderedSerializer):
    parent_field = "course"
    order = serializers.IntegerField(
        min_value=1, required=False, help_text="Position (default: last); later ones move down."
    )
    release_days = serializers.IntegerField(
        min_value=0,
        max_value=MAX_RELEASE_DAYS,
        allow_null=True,
        required=False,
        help_text="Drip release: the lessons open this many days after the student's "
        "enrollment became active (null: at once).",
    )

    class Meta:
        model = Module
        validators: list = []  # order is the service's job, not a unique check
        fields = ["id", "course", "title", "description", "order", "release_days"]

    def parent_queryset(self, course_ids):
        return Course.objects.filter(pk__in=course_ids)


class LessonSerializer(LockedMixin, _OrderedSerializer):
    parent_field = "module"
    optional_in_response = ("content",)  # a locked lesson is listed without it
    course = serializers.IntegerField(source="module.course_id", read_only=True)
    order = serializers.IntegerField(
        min_value=1, required=False, help_text="Position (default: last); later ones move down."
    )
    content = serializers.CharField(
        required=False, allow_blank=True, help_text="Text or Markdown, stored and returned as is."
    )

    class Meta:
        model = Lesson
        validators: list = []  # order is the service's job, not a unique check
        fields = [
            "id",
            "module",
            "course",
            "title",
            "content",
            "order",
            "duration_minutes",
            "is_preview",
            "locked",
            "available_at",
        ]

    def parent_queryset(self, course_ids):
        return Module.objects.filter(course_id__in=course_ids)

    def to_representation(self, lesson):
        data = super().to_representation(lesson)
        if data["locked"]:
            del data["content"]  # nothing of a locked lesson is read before it opens
        return data


class ContentItemSerializer(_OrderedSerializer):
    parent_field = "lesson"
    order = serializers.IntegerField(
        min_value=1, required=False, help_text="Position (default: last); later ones move down."
    )
    url = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        validators=[http_url_validator],
        help_text="`video` and `link` items: an http(s) URL.",
    )
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="`text` items: text or Markdown, stored and returned as is.",
    )
    file = ProtectedFileField(
        kind="content-item",
        url_name="content-item-download",
        required=False,
        help_text="`pdf` and `file` items (multipart upload).",
    )
    file_name = serializers.SerializerMethodField()

    class Meta:
        model = ContentItem
        validators: list = []  # order is the service's job, not a unique check
        fields = ["id", "lesson", "kind", "title", "url", "file", "file_name", "text", "order"]

    def parent_queryset(self, course_ids):
        return Lesson.objects.filter(module__course_id__in=course_ids)

    def get_file_name(self, item) -> str | None:
        return os.path.basename(item.file.name) if item.file else None
