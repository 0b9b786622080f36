"""Who is enrolled where: the one place that decides whether enrollment opens a course."""

from django.db.models import QuerySet

from .models import Enrollment


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
