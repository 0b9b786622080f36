"""Course → Module → Lesson → ContentItem, each ordered densely within its parent."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from lms.common.models import BaseModel

from .files import upload_name

#: The latest a module may open after enrollment (ten years): later is a typo, not a plan.
MAX_RELEASE_DAYS = 3650


def course_thumbnail_path(instance, filename: str) -> str:
    # A random folder per upload: storage paths are never guessable from the course.
    return upload_name("courses/thumbnails", filename)


def content_file_path(instance, filename: str) -> str:
    return upload_name("courses/content", filename)


class Course(BaseModel):
    """A course an instructor publishes and students enroll in."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    description = models.TextField(blank=True)
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="courses_taught"
    )
    price = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    currency = models.CharField(max_length=3, default="USD")
    is_published = models.BooleanField(default=False, db_index=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    thumbnail = models.FileField(upload_to=course_thumbnail_path, blank=True, max_length=300)
    #: Courses a student completes before enrolling (published ones only are required).
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="required_by"
    )
    #: Each lesson opens once every earlier one (module order, then lesson order) is complete.
    sequential = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["title"]),
            models.Index(fields=["price"]),
            models.Index(fields=["instructor", "is_published"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="course_price_not_negative"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="course_capacity_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_free(self) -> bool:
        return self.price == 0


class Module(BaseModel):
    """An ordered section of a course."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField()
    #: Days after a student's enrollment became active when the lessons open (null: at once).
    release_days = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["course_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["course", "order"], name="module_order_unique"),
            models.CheckConstraint(
                condition=Q(release_days__isnull=True)
                | Q(release_days__gte=0, release_days__lte=MAX_RELEASE_DAYS),
                name="module_release_days_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Lesson(BaseModel):
    """An ordered lesson in a module; `is_preview` lessons are readable by anyone."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(max_length=200)
    content = models.TextField(blank=True)
    order = models.PositiveIntegerField()
    duration_minutes = models.PositiveIntegerField(default=0)
    is_preview = models.BooleanField(default=False, db_index=True)

    class Meta:
        ordering = ["module_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["module", "order"], name="lesson_order_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class ContentItem(BaseModel):
    """A video, document, file, text or link inside a lesson."""

    class Kind(models.TextChoices):
        VIDEO = "video", "Video"
        PDF = "pdf", "PDF"
        FILE = "file", "File"
        TEXT = "text", "Text"
        LINK = "link", "Link"

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="content_items")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=2000, blank=True)
    file = models.FileField(upload_to=content_file_path, blank=True, max_length=300)
    text = models.TextField(blank=True)
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["lesson_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "order"], name="content_item_order_unique"),
        ]

    def __str__(self) -> str:
        return self.title
