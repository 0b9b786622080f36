"""Who may change an enrollment."""

from rest_framework import permissions

from lms.common.permissions import is_admin


class IsEnrollmentOwnerOrAdmin(permissions.BasePermission):
    """The enrolled student or an admin (a course's instructor may only read)."""

    def has_object_permission(self, request, view, obj):
        return is_admin(request.user) or obj.student_id == request.user.pk
