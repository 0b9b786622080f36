"""Who runs a course (gradebook, announcements) and who may change an announcement."""

from django.shortcuts import get_object_or_404
from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied

from lms.common.permissions import is_admin
from lms.courses.models import Course
from lms.courses.selectors import can_edit_course, courses_visible_to

RUNNERS_ONLY = "Only the course's instructor or an admin can do this."


def course_run_by(user, pk: int) -> Course:
    """The course `pk` if `user` runs it: not in their catalog → 404, not theirs → 403."""
    course = get_object_or_404(courses_visible_to(user), pk=pk)
    if not can_edit_course(user, course):
        raise PermissionDenied(RUNNERS_ONLY)
    return course


class IsAuthorOrAdminToWrite(permissions.BasePermission):
    """Readers read; only the announcement's author or an admin changes or deletes it."""

    message = "Only the announcement's author or an admin can change it."

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return is_admin(request.user) or obj.author_id == request.user.pk
