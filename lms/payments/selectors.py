"""Which payments a user may see."""

from django.db.models import QuerySet

from lms.common.permissions import is_admin

from .models import Payment


def payments_visible_to(user) -> QuerySet[Payment]:
    """A user's own payments; every payment for admins."""
    queryset = Payment.objects.select_related("student", "course")
    if is_admin(user):
        return queryset
    if not (user and user.is_authenticated):
        return queryset.none()
    return queryset.filter(student=user)


def has_paid_for(user, course_id: int) -> bool:
    """Whether `user` holds a succeeded (not refunded) payment for the course."""
    return Payment.objects.filter(
        student=user, course_id=course_id, status=Payment.Status.SUCCEEDED
    ).exists()
