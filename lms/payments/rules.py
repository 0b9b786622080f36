"""The one rule for "may this student pay for this course now"."""

from django.core.exceptions import ValidationError

from lms.common.exceptions import Conflict, DomainError
from lms.courses.models import Course
from lms.enrollments.selectors import is_enrolled
from lms.enrollments.services import course_has_room

from .selectors import has_paid_for


def payment_allowed_check(*, student, course: Course) -> None:
    """Raise why `student` may not pay for `course` now; return quietly when they may.

    Checkout asks before a payment exists (the refusal is the answer); an admin's
    confirmation asks again before taking the money (the payment stays pending);
    a provider's "paid" asks when the money has already arrived (a refusal then
    leaves the payment succeeded with a refund due). Callers that decide on a
    seat or a standing payment hold the course row lock while asking.
    """
    if not course.is_published:
        raise ValidationError({"course": ["This course is not open for enrollment."]})
    if course.is_free:
        raise ValidationError(
            {"course": ["This course is free; enroll with POST /api/v1/enrollments/."]}
        )
    if is_enrolled(student, course.pk):
        raise Conflict("You are already enrolled in this course.", code="already_enrolled")
    if has_paid_for(student, course.pk):
        raise Conflict(
            "You have already paid for this course; enroll again with "
            "POST /api/v1/enrollments/ at no charge."
        )
    if not course_has_room(course):
        raise Conflict("This course is full.", code="course_full")


def refusal_text(exc: DomainError | ValidationError) -> str:
    """A refusal as one readable sentence (for `failure_reason` and the logs)."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)
