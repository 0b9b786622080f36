"""Which courses and content rows a user sees, with what loaded: every view asks here.

Who may read a course's content is `access.py`'s rule; these selectors shape the queries.
"""

from django.db.models import OuterRef, Prefetch, Q, QuerySet

from lms.common.permissions import is_admin, is_instructor
from lms.common.queries import count_subquery
from lms.common.registry import Registry

from .access import content_readers_q, preview_lessons_q
from .models import ContentItem, Course, Lesson, Module

#: Per-course counts apps above add to the catalog, registered under the annotation's
#: name: hook() -> an expression correlated on `OuterRef("pk")` (enrollments: enrolled_count).
catalog_counts = Registry("per-course counts in the catalog")


def _visible_q(user) -> Q:
    """Courses `user` sees in the catalog: published ones, their own drafts, all for admins."""
    if is_admin(user):
        return Q()
    visible = Q(is_published=True)
    if is_instructor(user):
        visible |= Q(instructor=user)
    return visible


def courses_visible_to(user) -> QuerySet[Course]:
    """The courses `user` sees in the catalog (nothing loaded or counted)."""
    return Course.objects.filter(_visible_q(user))


def with_prerequisites(courses: QuerySet[Course], user) -> QuerySet[Course]:
    """Prefetch the prerequisites `user` sees (id and title), one query for any number."""
    shown = courses_visible_to(user).only("id", "title").order_by("id")
    return courses.prefetch_related(Prefetch("prerequisites", queryset=shown))


def catalog_visible_to(user) -> QuerySet[Course]:
    """The catalog as `user` sees it, with instructor and counts loaded in the same query."""
    counts = {name: count() for name, count in catalog_counts.items()}
    return (
        with_prerequisites(courses_visible_to(user), user)
        .select_related("instructor")
        .annotate(
            module_count=count_subquery(Module.objects.filter(course=OuterRef("pk")), "course"),
            lesson_count=count_subquery(
                Lesson.objects.filter(module__course=OuterRef("pk")), "module__course"
            ),
            **counts,
        )
    )


def courses_with_outline(user) -> QuerySet[Course]:
    """Visible courses with their modules and the lessons' titles (never lesson content)."""
    lessons = Lesson.objects.only(
        "id", "module_id", "title", "order", "is_preview", "duration_minutes"
    ).order_by("order")
    modules = Module.objects.order_by("order").prefetch_related(
        Prefetch("lessons", queryset=lessons)
    )
    outline = courses_visible_to(user).prefetch_related(Prefetch("modules", queryset=modules))
    return with_prerequisites(outline, user)


def courses_with_readable_content(user) -> QuerySet[Course]:
    """Courses whose whole content `user` may read."""
    return Course.objects.filter(content_readers_q(user))


def can_edit_course(user, course: Course) -> bool:
    """Whether `user` may change `course` and anything in it."""
    return is_admin(user) or (is_instructor(user) and course.instructor_id == user.pk)


def modules_readable_by(user) -> QuerySet[Module]:
    """Modules of the courses whose content `user` reads."""
    return (
        Module.objects.filter(content_readers_q(user, "course__"))
        .select_related("course")
        .order_by("course_id", "order")
    )


def lessons_readable_by(user) -> QuerySet[Lesson]:
    """Lessons `user` reads: the whole course when enrolled/teaching/admin, else previews."""
    return (
        Lesson.objects.filter(content_readers_q(user, "module__course__") | preview_lessons_q())
        .select_related("module__course")
        .order_by("module__course_id", "module__order", "order")
    )


def content_items_readable_by(user) -> QuerySet[ContentItem]:
    """Content items of the lessons `user` reads (preview lessons' items included)."""
    return (
        ContentItem.objects.filter(
            content_readers_q(user, "lesson__module__course__") | preview_lessons_q("lesson__")
        )
        .select_related("lesson__module__course")
        .order_by("lesson__module__course_id", "lesson__module__order", "lesson__order", "order")
    )


def course_title_of(course_id: int | None) -> str | None:
    """A course's title, for a text that names it (None when there is no such course)."""
    return Course.objects.filter(pk=course_id).values_list("title", flat=True).first()
