"""Role checks shared by every app's permission classes."""

from rest_framework import permissions


def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.role == user.Role.ADMIN)


def is_instructor(user) -> bool:
    return bool(user and user.is_authenticated and user.role == user.Role.INSTRUCTOR)


def is_student(user) -> bool:
    return bool(user and user.is_authenticated and user.role == user.Role.STUDENT)


class IsAdmin(permissions.BasePermission):
    """Only admins."""

    def has_permission(self, request, view):
        return is_admin(request.user)


class IsInstructorOrAdmin(permissions.BasePermission):
    """Instructors and admins."""

    def has_permission(self, request, view):
        return is_admin(request.user) or is_instructor(request.user)


class IsStudent(permissions.BasePermission):
    """Only students."""

    message = "Only students can do this."

    def has_permission(self, request, view):
        return is_student(request.user)
