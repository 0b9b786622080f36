"""Who is enrolled where: the one place that decides whether enrollment opens a course."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from lms.common.permissions import is_admin, is_instructor, is_student
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


def _count(queryset: QuerySet, group_by: str) -> Subquery:
    """A correlated `COUNT(*)` subquery of `queryset`, grouped by the outer row."""
    counted = (
        queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    )  # one group per outer row
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_progress(enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """Annotate `total_lessons` and `completed_lessons` on each enrollment (two subqueries)."""
    total = Lesson.objects.filter(module__course_id=OuterRef("course_id"))
    completed = LessonProgress.objects.filter(
        enrollment_id=OuterRef("pk"), lesson__module__course_id=OuterRef("course_id")
    )
    return enrollments.annotate(
        total_lessons=_count(total, "module__course_id"),
        completed_lessons=_count(completed, "enrollment_id"),
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


def course_progress_for(*, student, course_id: int) -> dict:
    """The student's progress in a course, quizzes included, in three queries."""
    from lms.quizzes.selectors import quiz_requirements_for

    enrollment = (
        with_progress(Enrollment.objects.filter(student=student, course_id=course_id))
        .only("id", "status", "course_id")
        .first()
    )
    if enrollment is None:
        total = Lesson.objects.filter(module__course_id=course_id).count()
        lessons = {"completed_lessons": 0, "total_lessons": total, "percent": 0}
        status = None
    else:
        lessons = enrollment_progress_of(enrollment)
        status = enrollment.status
    passed, required = quiz_requirements_for(student=student, course_id=course_id)
    return {
        **lessons,
        "quizzes_passed": passed,
        "quizzes_required": required,
        "completed": status == Enrollment.Status.COMPLETED,
    }


def courses_readable_for_progress(user) -> QuerySet[Course]:
    """Courses whose page `user` may open (the catalog's rule)."""
    # Imported here: the courses selectors import this module.
    from lms.courses.selectors import courses_visible_to

    return courses_visible_to(user)


def lessons_visible_to(user) -> QuerySet[Lesson]:
    """Lessons `user` may read (the courses app's rule)."""
    from lms.courses.selectors import lessons_readable_by

    return lessons_readable_by(user)


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
