"""Who sees which courses and who reads or edits their content: every view asks here."""

from django.db.models import Count, IntegerField, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import OuterRef
from django.db.models.functions import Coalesce

from lms.common.permissions import is_admin, is_instructor
from lms.enrollments.models import Enrollment
from lms.enrollments.selectors import enrolled_course_ids, is_enrolled

from .models import ContentItem, Course, Lesson, Module


def _count_subquery(queryset: QuerySet, group_by: str) -> Coalesce:
    """`COUNT(*)` of `queryset` per outer course, as a scalar subquery (0 when none)."""
    counted = queryset.order_by().values(group_by).annotate(total=Count("pk")).values("total")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _with_counts(courses: QuerySet[Course]) -> QuerySet[Course]:
    return courses.select_related("instructor").annotate(
        module_count=_count_subquery(Module.objects.filter(course=OuterRef("pk")), "course"),
        lesson_count=_count_subquery(
            Lesson.objects.filter(module__course=OuterRef("pk")), "module__course"
        ),
        enrolled_count=_count_subquery(
            Enrollment.objects.filter(course=OuterRef("pk"), status__in=Enrollment.OPEN_STATUSES),
            "course",
        ),
    )


def _visible_q(user, prefix: str = "") -> Q:
    """Courses `user` sees in the catalog: published ones, their own drafts, all for admins."""
    if is_admin(user):
        return Q()
    visible = Q(**{f"{prefix}is_published": True})
    if is_instructor(user):
        visible |= Q(**{f"{prefix}instructor": user})
    return visible


def _content_q(user, prefix: str = "") -> Q:
    """Courses whose content `user` reads: enrolled (open enrollment), their instructor, admins."""
    if is_admin(user):
        # Not `Q()`: an empty Q vanishes when OR-ed with the preview condition.
        return Q(**{f"{prefix}pk__isnull": False})
    if not (user and user.is_authenticated):
        return Q(pk__in=[])
    return Q(**{f"{prefix}instructor": user}) | Q(**{f"{prefix}pk__in": enrolled_course_ids(user)})


def courses_visible_to(user) -> QuerySet[Course]:
    """The catalog as `user` sees it, with instructor and counts loaded in the same query."""
    return _with_counts(Course.objects.filter(_visible_q(user)))


def courses_with_outline(user) -> QuerySet[Course]:
    """Visible courses with their modules and the lessons' titles (never lesson content)."""
    lessons = Lesson.objects.only(
        "id", "module_id", "title", "order", "is_preview", "duration_minutes"
    ).order_by("order")
    modules = Module.objects.order_by("order").prefetch_related(
        Prefetch("lessons", queryset=lessons)
    )
    return Course.objects.filter(_visible_q(user)).prefetch_related(
        Prefetch("modules", queryset=modules)
    )


def courses_with_readable_content(user) -> QuerySet[Course]:
    """Courses whose whole content `user` may read."""
    return Course.objects.filter(_content_q(user))


def courses_editable_by(user) -> QuerySet[Course]:
    """Courses `user` may change: their own, or all for admins."""
    if is_admin(user):
        return Course.objects.all()
    if is_instructor(user):
        return Course.objects.filter(instructor=user)
    return Course.objects.none()


def can_read_course_content(user, course: Course) -> bool:
    """Whether `user` reads every module, lesson and item of `course`."""
    if is_admin(user):
        return True
    if not (user and user.is_authenticated):
        return False
    return course.instructor_id == user.pk or is_enrolled(user, course.pk)


def can_edit_course(user, course: Course) -> bool:
    """Whether `user` may change `course` and anything in it."""
    return is_admin(user) or (is_instructor(user) and course.instructor_id == user.pk)


def modules_readable_by(user) -> QuerySet[Module]:
    """Modules of the courses whose content `user` reads."""
    return (
        Module.objects.filter(_content_q(user, "course__"))
        .select_related("course")
        .order_by("course_id", "order")
    )


def _preview_lesson_q(prefix: str = "") -> Q:
    # A preview of a draft stays hidden: drafts are not in the public catalog.
    return Q(**{f"{prefix}is_preview": True, f"{prefix}module__course__is_published": True})


def lessons_readable_by(user) -> QuerySet[Lesson]:
    """Lessons `user` reads: the whole course when enrolled/teaching/admin, else previews."""
    return (
        Lesson.objects.filter(_content_q(user, "module__course__") | _preview_lesson_q())
        .select_related("module__course")
        .order_by("module__course_id", "module__order", "order")
    )


def content_items_readable_by(user) -> QuerySet[ContentItem]:
    """Content items of the lessons `user` reads (preview lessons' items included)."""
    return (
        ContentItem.objects.filter(
            _content_q(user, "lesson__module__course__") | _preview_lesson_q("lesson__")
        )
        .select_related("lesson__module__course")
        .order_by("lesson__module__course_id", "lesson__module__order", "lesson__order", "order")
    )
