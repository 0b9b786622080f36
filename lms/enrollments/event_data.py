"""Enrollments and certificates as domain events carry them (ids, not nested objects)."""

from lms.common.events import iso

from .models import Certificate, Enrollment


def enrollment_event_data(enrollment: Enrollment) -> dict:
    return {
        "enrollment": {
            "id": enrollment.pk,
            "student": enrollment.student_id,
            "course": enrollment.course_id,
            "status": enrollment.status,
            "source": enrollment.source,
            "cohort": enrollment.cohort,
            "created_at": iso(enrollment.created_at),
            "completed_at": iso(enrollment.completed_at),
            "cancelled_at": iso(enrollment.cancelled_at),
        }
    }


def certificate_event_data(certificate: Certificate) -> dict:
    enrollment = certificate.enrollment
    return {
        "certificate": {
            "id": certificate.pk,
            "code": certificate.code,
            "student": enrollment.student_id,
            "course": enrollment.course_id,
            "enrollment": enrollment.pk,
            "issued_at": iso(certificate.issued_at),
        }
    }
