"""Who may change the catalog and the content of a course."""

from rest_framework import permissions

from lms.common.permissions import is_admin, is_instructor

from .models import ContentItem, Course, Lesson, Module
from .selectors import can_edit_course


def course_of(obj) -> Course:
    """The course a course, module, lesson or content item belongs to."""
    if isinstance(obj, Course):
        return obj
    if isinstance(obj, Module):
        return obj.course
    if isinstance(obj, Lesson):
        return obj.module.course
    if isinstance(obj, ContentItem):
        return obj.lesson.module.course
    raise TypeError(f"{type(obj).__name__} does not belong to a course")


class ReadOnlyOrInstructorOrAdmin(permissions.BasePermission):
    """Anyone may try to read; only instructors and admins may write."""

    message = "Only instructors and admins can change courses and their content."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return is_admin(request.user) or is_instructor(request.user)


class CanEditCourse(permissions.BasePermission):
    """Only the course's instructor or an admin changes a course or anything in it."""

    message = "Only this course's instructor or an admin can change it."

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return can_edit_course(request.user, course_of(obj))
