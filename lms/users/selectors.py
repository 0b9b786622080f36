"""Which user accounts a caller may see."""

from django.db.models import QuerySet

from lms.common.permissions import is_admin

from .models import User


def users_visible_to(user) -> QuerySet[User]:
    """Admins see every account (deactivated too); anyone else only their own."""
    if is_admin(user):
        return User.objects.all()
    if user is not None and user.is_authenticated:
        return User.objects.filter(pk=user.pk)
    return User.objects.none()
