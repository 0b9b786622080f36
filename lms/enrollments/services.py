"""Enrolling, cancelling and completing lessons (completing courses is `completion.py`)."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from lms.audit.services import audit_record
from lms.common import events
from lms.common.email import email_queue_template
from lms.common.exceptions import Conflict, NotAvailable, PaymentRequired
from lms.common.registry import Registry
from lms.courses.access import lesson_lock_check
from lms.courses.models import Course, Lesson

from .completion import enrollment_completion_check
from .event_data import enrollment_event_data
from .models import Enrollment, LessonProgress
from .prerequisites import enrollment_prerequisites_check
from .selectors import open_enrollments_of

logger = logging.getLogger(__name__)

#: Whether a student already paid for a course, asked of the apps that take payments:
#: hook(student, course_id) -> bool. The payments app registers its ledger.
paid_for = Registry("payments that open a paid course")


def _course_locked(course_id: int) -> Course:
    """The course row, locked until the transaction ends: enrollments of it queue up here."""
    return Course.objects.select_for_update().get(pk=course_id)


def course_seats_taken(course: Course) -> int:
    """Seats held by active and completed enrollments."""
    return Enrollment.objects.filter(course=course, status__in=Enrollment.OPEN_STATUSES).count()


def course_has_room(course: Course) -> bool:
    """Whether one more student fits (courses without a capacity always have room)."""
    return course.capacity is None or course_seats_taken(course) < course.capacity


def enrollment_confirmation_queue(*, student, course: Course) -> None:
    """Email the student that the course is open to them, unless they turned emails off."""
    if student.email_notifications:
        email_queue_template(
            to=student.email,
            template="enrollments/email/enrollment_confirmation",
            context={"student": student, "course": course, "frontend_url": settings.FRONTEND_URL},
        )


def _enroll(
    *, student, course: Course, paid: bool, source: str = Enrollment.Source.SELF, cohort: str = ""
) -> Enrollment:
    """Open `course` to `student`, holding the course lock so capacity cannot be overrun."""
    with transaction.atomic():
        course = _course_locked(course.pk)
        if not course.is_published:
            raise ValidationError({"course": ["This course is not open for enrollment."]})
        enrollment = (
            Enrollment.objects.select_for_update().filter(student=student, course=course).first()
        )
        if enrollment is not None and enrollment.status in Enrollment.OPEN_STATUSES:
            raise Conflict("You are already enrolled in this course.", code="already_enrolled")
        if not paid and not course.is_free:
            raise PaymentRequired(
                {
                    "detail": "This course is paid; start a checkout to enroll.",
                    "checkout": reverse("payment-checkout"),
                    "amount": str(course.price),
                    "currency": course.currency,
                },
                code="payment_required",
            )
        if not course_has_room(course):
            raise Conflict("This course is full.", code="course_full")
        if enrollment is None:
            try:
                with transaction.atomic():
                    enrollment = Enrollment.objects.create(
                        student=student, course=course, source=source, cohort=cohort
                    )
            except IntegrityError as exc:
                raise Conflict(
                    "You are already enrolled in this course.", code="already_enrolled"
                ) from exc
        else:
            enrollment.status = Enrollment.Status.ACTIVE
            enrollment.cancelled_at = None
            enrollment.source = source
            enrollment.cohort = cohort or enrollment.cohort
            enrollment.activated_at = timezone.now()
            enrollment.save(
                update_fields=[
                    "status",
                    "cancelled_at",
                    "source",
                    "cohort",
                    "activated_at",
                    "updated_at",
                ]
            )
        enrollment_confirmation_queue(student=student, course=course)
        events.emit(events.ENROLLMENT_CREATED, enrollment_event_data(enrollment))
        logger.info("Enrolled user %s in course %s", student.pk, course.pk)
        return enrollment


def enrollment_create(*, student, course: Course) -> Enrollment:
    """Enroll a student in a free, published course that has room.

    A paid course is open only to a student whose payment for it stands (they
    cancelled and come back); everyone else is sent to checkout with a 402. The
    course's prerequisites must be completed first (409); staff enrollment skips them.
    """
    if not open_enrollments_of(student).filter(course_id=course.pk).exists():
        enrollment_prerequisites_check(student=student, course=course)
    paid = not course.is_free and any(has_paid(student, course.pk) for has_paid in paid_for)
    return _enroll(student=student, course=course, paid=paid)


def enrollment_activate_paid(
    *, student, course: Course, source: str = Enrollment.Source.PAYMENT
) -> Enrollment:
    """Enroll a student whose payment succeeded (or whose coupon covered the price): no
    price check, capacity still holds.

    Idempotent: an enrollment that is already open is returned unchanged.
    """
    with transaction.atomic():
        existing = open_enrollments_of(student).filter(course_id=course.pk).first()
        if existing is not None:
            return existing
        return _enroll(student=student, course=course, paid=True, source=source)


def enrollment_cancel(
    *, enrollment: Enrollment, acting_user=None, ip: str | None = None
) -> Enrollment:
    """Cancel an enrollment; the course's content closes to the student.

    A cancellation someone asked for (`acting_user`: the student or staff) is audited;
    one that follows from another change (a refund, itself audited) passes no one.
    """
    with transaction.atomic():
        enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        if enrollment.status == Enrollment.Status.CANCELLED:
            return enrollment
        was = enrollment.status
        enrollment.status = Enrollment.Status.CANCELLED
        enrollment.cancelled_at = timezone.now()
        enrollment.save(update_fields=["status", "cancelled_at", "updated_at"])
        if acting_user is not None:
            audit_record(
                actor=acting_user,
                action="enrollment.cancelled",
                target=enrollment,
                changes={"status": [was, enrollment.status]},
                ip=ip,
            )
        events.emit(events.ENROLLMENT_CANCELLED, enrollment_event_data(enrollment))
        logger.info("Cancelled enrollment %s", enrollment.pk)
        return enrollment


def lesson_complete(*, student, lesson: Lesson) -> LessonProgress:
    """Mark a lesson complete for an enrolled student (idempotent), then check the course.

    A locked lesson (sequential course, drip release) cannot be completed yet (403).
    """
    course_id = lesson.module.course_id
    with transaction.atomic():
        enrollment = open_enrollments_of(student).filter(course_id=course_id).first()
        if enrollment is None:
            raise NotAvailable("Enroll in this course to track your progress.", code="not_enrolled")
        lesson_lock_check(student, lesson)
        progress, created = LessonProgress.objects.get_or_create(
            enrollment=enrollment, lesson=lesson, defaults={"completed_at": timezone.now()}
        )
        if not created:
            # Nothing changed, so neither did the course's completion: no check to run.
            logger.debug("Lesson %s was already complete for %s", lesson.pk, student.pk)
            return progress
        enrollment_completion_check(student=student, course_id=course_id)
        return progress
