"""Who may act on a user account."""

from rest_framework import permissions

from lms.common.permissions import is_admin


class IsSelfOrAdmin(permissions.BasePermission):
    """The account's owner or an admin (others never see the account: the selector hides it)."""

    def has_object_permission(self, request, view, obj):
        return is_admin(request.user) or obj.pk == request.user.pk
