"""Enrolling, cancelling, completing lessons and courses, and issuing certificates."""

import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.exceptions import PermissionDenied

from lms.common.email import email_queue_template
from lms.common.exceptions import Conflict, PaymentRequired
from lms.courses.models import Course, Lesson

from .models import Certificate, Enrollment, LessonProgress
from .selectors import enrollment_progress_of, open_enrollments_of, with_progress

logger = logging.getLogger(__name__)

CERTIFICATE_CODE_BYTES = 18  # 144 random bits, 24 URL-safe characters


def _course_locked(course_id: int) -> Course:
    """The course row, locked until the transaction ends: enrollments of it queue up here."""
    return Course.objects.select_for_update().get(pk=course_id)


def course_seats_taken(course: Course) -> int:
    """Seats held by active and completed enrollments."""
    return Enrollment.objects.filter(course=course, status__in=Enrollment.OPEN_STATUSES).count()


def course_has_room(course: Course) -> bool:
    """Whether one more student fits (courses without a capacity always have room)."""
    return course.capacity is None or course_seats_taken(course) < course.capacity


def _enroll(*, student, course: Course, paid: bool) -> Enrollment:
    """Open `course` to `student`, holding the course lock so capacity cannot be overrun."""
    with transaction.atomic():
        course = _course_locked(course.pk)
        if not course.is_published:
            raise ValidationError({"course": ["This course is not open for enrollment."]})
        enrollment = (
            Enrollment.objects.select_for_update().filter(student=student, course=course).first()
        )
        if enrollment is not None and enrollment.status in Enrollment.OPEN_STATUSES:
            raise Conflict("You are already enrolled in this course.")
        if not paid and not course.is_free:
            raise PaymentRequired(
                {
                    "detail": "This course is paid; start a checkout to enroll.",
                    "checkout": reverse("payment-checkout"),
                    "amount": str(course.price),
                    "currency": course.currency,
                }
            )
        if not course_has_room(course):
            raise Conflict("This course is full.")
        if enrollment is None:
            try:
                with transaction.atomic():
                    enrollment = Enrollment.objects.create(student=student, course=course)
            except IntegrityError as exc:
                raise Conflict("You are already enrolled in this course.") from exc
        else:
            enrollment.status = Enrollment.Status.ACTIVE
            enrollment.cancelled_at = None
            enrollment.save(update_fields=["status", "cancelled_at", "updated_at"])
        email_queue_template(
            to=student.email,
            template="enrollments/email/enrollment_confirmation",
            context={"student": student, "course": course, "frontend_url": settings.FRONTEND_URL},
        )
        logger.info("Enrolled user %s in course %s", student.pk, course.pk)
        return enrollment


def enrollment_create(*, student, course: Course) -> Enrollment:
    """Enroll a student in a free, published course that has room.

    A paid course is open only to a student whose payment for it stands (they
    cancelled and come back); everyone else is sent to checkout with a 402.
    """
    from lms.payments.selectors import has_paid_for  # payments builds on this module

    paid = not course.is_free and has_paid_for(student, course.pk)
    return _enroll(student=student, course=course, paid=paid)


def enrollment_activate_paid(*, student, course: Course) -> Enrollment:
    """Enroll a student whose payment succeeded: no price check, capacity still holds.

    Idempotent: an enrollment that is already open is returned unchanged.
    """
    with transaction.atomic():
        existing = open_enrollments_of(student).filter(course_id=course.pk).first()
        if existing is not None:
            return existing
        return _enroll(student=student, course=course, paid=True)


def enrollment_cancel(*, enrollment: Enrollment) -> Enrollment:
    """Cancel an enrollment; the course's content closes to the student."""
    with transaction.atomic():
        enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        if enrollment.status == Enrollment.Status.CANCELLED:
            return enrollment
        enrollment.status = Enrollment.Status.CANCELLED
        enrollment.cancelled_at = timezone.now()
        enrollment.save(update_fields=["status", "cancelled_at", "updated_at"])
        logger.info("Cancelled enrollment %s", enrollment.pk)
        return enrollment


def lesson_complete(*, student, lesson: Lesson) -> LessonProgress:
    """Mark a lesson complete for an enrolled student (idempotent), then check the course."""
    course_id = lesson.module.course_id
    with transaction.atomic():
        enrollment = open_enrollments_of(student).filter(course_id=course_id).first()
        if enrollment is None:
            raise PermissionDenied("Enroll in this course to track your progress.")
        progress, created = LessonProgress.objects.get_or_create(
            enrollment=enrollment, lesson=lesson, defaults={"completed_at": timezone.now()}
        )
        if not created:
            logger.debug("Lesson %s was already complete for %s", lesson.pk, student.pk)
        enrollment_completion_check(student=student, course_id=course_id)
        return progress


def _certificate_code() -> str:
    return secrets.token_urlsafe(CERTIFICATE_CODE_BYTES)


def enrollment_completion_check(*, student, course_id: int) -> Enrollment | None:
    """Complete the enrollment and issue its one certificate once everything is done.

    "Everything" is every lesson of the course and every published quiz passed.
    Returns the completed enrollment, or None while something is left (or the
    student holds no open enrollment). Quiz grading calls this after each grade.
    """
    from lms.quizzes.selectors import quiz_requirements_for

    with transaction.atomic():
        enrollment = (
            Enrollment.objects.select_for_update()
            .filter(student=student, course_id=course_id, status__in=Enrollment.OPEN_STATUSES)
            .first()
        )
        if enrollment is None:
            return None
        progress = enrollment_progress_of(
            with_progress(Enrollment.objects.filter(pk=enrollment.pk)).get()
        )
        passed, required = quiz_requirements_for(student=student, course_id=course_id)
        lessons_done = progress["completed_lessons"] >= progress["total_lessons"]
        has_work = progress["total_lessons"] > 0 or required > 0
        if not (has_work and lessons_done and passed >= required):
            return None
        if enrollment.status != Enrollment.Status.COMPLETED:
            enrollment.status = Enrollment.Status.COMPLETED
            enrollment.completed_at = timezone.now()
            enrollment.save(update_fields=["status", "completed_at", "updated_at"])
        certificate_issue(enrollment=enrollment)
        return enrollment


def certificate_issue(*, enrollment: Enrollment) -> Certificate:
    """The enrollment's certificate, issued (and emailed) the first time only."""
    with transaction.atomic():
        certificate = Certificate.objects.filter(enrollment=enrollment).first()
        if certificate is not None:
            return certificate
        certificate = Certificate.objects.create(
            enrollment=enrollment, code=_certificate_code(), issued_at=timezone.now()
        )
        student, course = enrollment.student, enrollment.course
        email_queue_template(
            to=student.email,
            template="enrollments/email/certificate_issued",
            context={
                "student": student,
                "course": course,
                "certificate": certificate,
                "frontend_url": settings.FRONTEND_URL,
            },
        )
        logger.info("Issued certificate %s for enrollment %s", certificate.pk, enrollment.pk)
        return certificate
