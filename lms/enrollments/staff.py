"""Staff enrollment: an instructor or admin opens a course to many students at once.

Whatever the price and without the prerequisites a student's own enrollment needs; the
capacity still holds, decided under the course row lock as every other enrollment is.
"""

import logging

from django.db import transaction
from django.utils import timezone

from lms.audit.services import audit_record_each
from lms.common import events
from lms.courses.models import Course

from .event_data import enrollment_event_data
from .models import Enrollment
from .services import course_seats_taken, enrollment_confirmation_queue

logger = logging.getLogger(__name__)

ENROLLED = "enrolled"
ALREADY_ENROLLED = "already_enrolled"
FULL = "full"


def enrollments_staff_open(
    *,
    course_id: int,
    students: list[tuple[object, str]],
    acting_user=None,
    ip: str | None = None,
    notify: bool = True,
) -> dict:
    """Enroll each `(student, cohort)` in the course (source `staff`), within its capacity.

    Returns `{student_pk: "enrolled" | "already_enrolled" | "full"}`. One transaction,
    a fixed number of queries whatever the number of students; a cancelled enrollment
    is reopened. Each enrollment opened is audited (`enrollment.staff_enrolled`) as done
    by `acting_user`; with `notify`, each student gets the enrollment confirmation (unless
    they turned emails off).
    """
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course_id)
        existing = {
            enrollment.student_id: enrollment
            for enrollment in Enrollment.objects.select_for_update().filter(
                course=course, student__in=[student for student, _ in students]
            )
        }
        taken = course_seats_taken(course)
        outcomes, new, reopened = {}, [], []
        for student, cohort in students:
            enrollment = existing.get(student.pk)
            if enrollment is not None and enrollment.status in Enrollment.OPEN_STATUSES:
                outcomes[student.pk] = ALREADY_ENROLLED
                continue
            if course.capacity is not None and taken >= course.capacity:
                outcomes[student.pk] = FULL
                continue
            taken += 1
            outcomes[student.pk] = ENROLLED
            if enrollment is None:
                new.append(
                    Enrollment(
                        student=student,
                        course=course,
                        source=Enrollment.Source.STAFF,
                        cohort=cohort,
                    )
                )
            else:
                enrollment.status = Enrollment.Status.ACTIVE
                enrollment.cancelled_at = None
                enrollment.source = Enrollment.Source.STAFF
                enrollment.cohort = cohort or enrollment.cohort
                enrollment.updated_at = timezone.now()
                enrollment.activated_at = enrollment.updated_at  # drip release counts anew
                reopened.append(enrollment)
        Enrollment.objects.bulk_create(new)
        Enrollment.objects.bulk_update(
            reopened, ["status", "cancelled_at", "source", "cohort", "updated_at", "activated_at"]
        )
        opened = new + reopened  # bulk_create sets the ids (PostgreSQL, SQLite >= 3.35)
        if notify:
            given = {student.pk: student for student, _ in students}  # no query per row
            for enrollment in opened:
                enrollment_confirmation_queue(student=given[enrollment.student_id], course=course)
        audit_record_each(
            actor=acting_user,
            action="enrollment.staff_enrolled",
            targets=opened,
            changes={"status": [None, Enrollment.Status.ACTIVE], "source": [None, "staff"]},
            ip=ip,
        )
        events.emit_many(events.ENROLLMENT_CREATED, [enrollment_event_data(e) for e in opened])
        logger.info("Staff enrolled %s students in course %s", len(opened), course.pk)
        return outcomes
