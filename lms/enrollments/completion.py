"""Course completion: a student's progress, the completion check and the certificate.

A course is complete when every lesson is done and every requirement the apps above
register is met (quizzes: "every published quiz passed"); completing it issues the
enrollment's one certificate. Lesson completion and quiz grading call the check.
"""

import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Value
from django.utils import timezone

from lms.common import events
from lms.common.email import email_queue_template
from lms.common.registry import Registry
from lms.courses.models import Lesson

from .event_data import certificate_event_data, enrollment_event_data
from .models import Certificate, Enrollment, LessonProgress
from .selectors import enrollment_progress_of, with_progress

logger = logging.getLogger(__name__)

CERTIFICATE_CODE_BYTES = 18  # 144 random bits, 24 URL-safe characters

#: Work a course asks for beyond its lessons, registered by the app that owns it:
#: hook(*, student, course_id) -> (done, required). The quizzes app registers "quizzes".
requirements = Registry("course completion requirements")


def _requirement_counts(*, student, course_id: int) -> dict[str, tuple[int, int]]:
    return {
        name: counts(student=student, course_id=course_id) for name, counts in requirements.items()
    }


def course_progress_for(*, student, course_id: int) -> dict:
    """The student's progress in a course, quizzes included (one query per requirement more)."""
    enrollment = (
        with_progress(Enrollment.objects.filter(student=student, course_id=course_id))
        .only("id", "status", "course_id")
        .first()
    )
    if enrollment is None:
        total = Lesson.objects.filter(module__course_id=course_id).count()
        lessons = {"completed_lessons": 0, "total_lessons": total, "percent": 0}
        status = None
    else:
        lessons = enrollment_progress_of(enrollment)
        status = enrollment.status
    # The progress answer names the quiz requirement (the API contract's fields).
    passed, required = _requirement_counts(student=student, course_id=course_id).get(
        "quizzes", (0, 0)
    )
    return {
        **lessons,
        "quizzes_passed": passed,
        "quizzes_required": required,
        "completed": status == Enrollment.Status.COMPLETED,
        **_lesson_trail(enrollment=enrollment, course_id=course_id),
    }


def _lesson_trail(*, enrollment: Enrollment | None, course_id: int) -> dict:
    """Which lessons are done, and the first one not done in course order (one query)."""
    done = LessonProgress.objects.filter(enrollment=enrollment, lesson=OuterRef("pk"))
    lessons = (
        Lesson.objects.filter(module__course_id=course_id)
        .order_by("module__order", "order")
        .annotate(done=Exists(done) if enrollment is not None else Value(False))
        .values_list("id", "done")
    )
    ordered = list(lessons)
    return {
        "completed_lesson_ids": [lesson for lesson, is_done in ordered if is_done],
        "next_lesson_id": next((lesson for lesson, is_done in ordered if not is_done), None),
    }


def enrollment_completion_check(*, student, course_id: int) -> Enrollment | None:
    """Complete the enrollment and issue its one certificate once everything is done.

    "Everything" is every lesson of the course and every registered requirement met.
    Returns the completed enrollment, or None while something is left (or the
    student holds no open enrollment).
    """
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
        counts = _requirement_counts(student=student, course_id=course_id).values()
        lessons_done = progress["completed_lessons"] >= progress["total_lessons"]
        has_work = progress["total_lessons"] > 0 or any(required > 0 for _, required in counts)
        requirements_met = all(done >= required for done, required in counts)
        if not (has_work and lessons_done and requirements_met):
            return None
        if enrollment.status != Enrollment.Status.COMPLETED:
            enrollment.status = Enrollment.Status.COMPLETED
            enrollment.completed_at = timezone.now()
            enrollment.save(update_fields=["status", "completed_at", "updated_at"])
            events.emit(events.ENROLLMENT_COMPLETED, enrollment_event_data(enrollment))
        certificate_issue(enrollment=enrollment)
        return enrollment


def _certificate_code() -> str:
    return secrets.token_urlsafe(CERTIFICATE_CODE_BYTES)


def certificate_issue(*, enrollment: Enrollment) -> Certificate:
    """The enrollment's certificate, issued (and emailed) the first time only."""
    with transaction.atomic():
        certificate = Certificate.objects.filter(enrollment=enrollment).first()
        if certificate is not None:
            return certificate
        certificate = Certificate.objects.create(
            enrollment=enrollment,
            code=_certificate_code(),
            issued_at=timezone.now(),
            student_name=enrollment.student.full_name,
        )
        student, course = enrollment.student, enrollment.course
        if student.email_notifications:
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
        events.emit(events.CERTIFICATE_ISSUED, certificate_event_data(certificate))
        logger.info("Issued certificate %s for enrollment %s", certificate.pk, enrollment.pk)
        return certificate
