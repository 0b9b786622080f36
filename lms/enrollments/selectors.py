"""Who is enrolled where: the one place that decides whether enrollment opens a course."""

from django.db.models import OuterRef, QuerySet
from django.db.models.functions import Coalesce

from lms.common.permissions import is_admin, is_instructor, is_student
from lms.common.queries import count_subquery
from lms.courses.models import Course, Lesson

from .models import Certificate, Enrollment, LessonProgress


def open_enrollments_of(user) -> QuerySet[Enrollment]:
    """Enrollments of `user` that open their course's content (active or completed)."""
    if not (user and user.is_authenticated):
        return Enrollment.objects.none()
    return Enrollment.objects.filter(student=user, status__in=Enrollment.OPEN_STATUSES)


def is_enrolled(user, course_id: int) -> bool:
    """Whether `user` holds an enrollment that opens course `course_id`."""
    return open_enrollments_of(user).filter(course_id=course_id).exists()


def enrolled_course_ids(user) -> QuerySet:
    """A subquery of the ids of courses whose content enrollment opens to `user`."""
    return open_enrollments_of(user).values("course_id")


def enrolled_count() -> Coalesce:
    """Open (active or completed) enrollments of the outer course, for the catalog."""
    open_enrollments = Enrollment.objects.filter(
        course=OuterRef("pk"), status__in=Enrollment.OPEN_STATUSES
    )
    return count_subquery(open_enrollments, "course")


def course_delete_refusal(course: Course) -> str | None:
    """Why `course` cannot be deleted while students are learning in it (None: it can)."""
    if Enrollment.objects.filter(course=course, status=Enrollment.Status.ACTIVE).exists():
        return "This course has active enrollments; unpublish it instead of deleting it."
    return None


def with_progress(enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """Annotate `total_lessons` and `completed_lessons` on each enrollment (two subqueries)."""
    total = Lesson.objects.filter(module__course_id=OuterRef("course_id"))
    completed = LessonProgress.objects.filter(
        enrollment_id=OuterRef("pk"), lesson__module__course_id=OuterRef("course_id")
    )
    return enrollments.annotate(
        total_lessons=count_subquery(total, "module__course_id"),
        completed_lessons=count_subquery(completed, "enrollment_id"),
    )


def progress_percent(completed: int, total: int) -> int:
    """Whole-number percentage of lessons completed; 0 for a course without lessons."""
    return (completed * 100) // total if total else 0


def enrollments_visible_to(user) -> QuerySet[Enrollment]:
    """A student's own enrollments, an instructor's courses' enrollments, every one for admins."""
    queryset = with_progress(Enrollment.objects.select_related("student", "course"))
    if is_admin(user):
        return queryset
    if is_instructor(user):
        return queryset.filter(course__instructor=user)
    if is_student(user):
        return queryset.filter(student=user)
    return queryset.none()


def enrollment_progress_of(enrollment: Enrollment) -> dict:
    """`{completed_lessons, total_lessons, percent}` of an enrollment (annotated, or one query)."""
    if not hasattr(enrollment, "total_lessons"):
        enrollment = with_progress(Enrollment.objects.filter(pk=enrollment.pk)).get()
    return {
        "completed_lessons": enrollment.completed_lessons,
        "total_lessons": enrollment.total_lessons,
        "percent": progress_percent(enrollment.completed_lessons, enrollment.total_lessons),
    }


def certificates_visible_to(user) -> QuerySet[Certificate]:
    """A user's own certificates; every certificate for admins."""
    queryset = Certificate.objects.select_related("enrollment__student", "enrollment__course")
    if is_admin(user):
        return queryset
    if not (user and user.is_authenticated):
        return queryset.none()
    return queryset.filter(enrollment__student=user)


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate with verification code `code`, for public verification."""
    return (
        Certificate.objects.select_related("enrollment__student", "enrollment__course")
        .filter(code=code)
        .first()
    )
