"""Which announcements a user reads, and which courses' announcements they may list."""

from django.db.models import Q, QuerySet

from lms.common.permissions import is_admin
from lms.courses.models import Course
from lms.enrollments.selectors import enrolled_course_ids

from .models import Announcement


def courses_with_readable_announcements(user) -> QuerySet[Course]:
    """Courses whose announcements `user` reads: taught by them, or learned in (open)."""
    if is_admin(user):
        return Course.objects.all()
    if not (user and user.is_authenticated):
        return Course.objects.none()
    return Course.objects.filter(Q(instructor=user) | Q(pk__in=enrolled_course_ids(user)))


def announcements_visible_to(user) -> QuerySet[Announcement]:
    """Announcements of the courses `user` teaches or learns in; every one for admins."""
    announcements = Announcement.objects.select_related("author", "course")
    if is_admin(user):
        return announcements
    return announcements.filter(course__in=courses_with_readable_announcements(user))
