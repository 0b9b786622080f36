"""Which payments a user may see, and which payment grants a course."""

import re

from django.db.models import QuerySet

from lms.common.permissions import is_admin

from .models import Payment

#: Our payment ids as providers echo them back: digits that fit a bigint.
_PAYMENT_ID = re.compile(r"[0-9]{1,18}")


def payments_visible_to(user) -> QuerySet[Payment]:
    """A user's own payments; every payment for admins."""
    queryset = Payment.objects.select_related("student", "course", "coupon")
    if is_admin(user):
        return queryset
    if not (user and user.is_authenticated):
        return queryset.none()
    return queryset.filter(student=user)


def standing_payments() -> QuerySet[Payment]:
    """Payments that grant their course: succeeded, not refunded, no refund due."""
    return Payment.objects.filter(status=Payment.Status.SUCCEEDED, refund_due=False)


def has_paid_for(user, course_id: int) -> bool:
    """Whether `user` holds the standing payment for the course (so may enroll again)."""
    return standing_payments().filter(student=user, course_id=course_id).exists()


def payment_of_provider(
    provider: str, *, payment_id: str = "", provider_payment_id: str = ""
) -> Payment | None:
    """The provider's payment named by our id (as the provider echoes it) or its money id."""
    if payment_id:
        if not _PAYMENT_ID.fullmatch(payment_id):
            return None
        return Payment.objects.filter(pk=int(payment_id), provider=provider).first()
    if provider_payment_id:
        return Payment.objects.filter(
            provider=provider, provider_payment_id=provider_payment_id
        ).first()
    return None
