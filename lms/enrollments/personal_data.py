"""What enrollment stores about a person: enrollments, lesson progress, certificates."""

from lms.common.events import iso

from .models import Certificate, Enrollment, LessonProgress


def personal_data_export(user) -> dict:
    enrollments = Enrollment.objects.filter(student=user).select_related("course").order_by("id")
    progress = (
        LessonProgress.objects.filter(enrollment__student=user)
        .select_related("lesson")
        .order_by("id")
    )
    certificates = (
        Certificate.objects.filter(enrollment__student=user)
        .select_related("enrollment__course")
        .order_by("id")
    )
    return {
        "enrollments": [
            {
                "id": e.pk,
                "course": {"id": e.course_id, "title": e.course.title},
                "status": e.status,
                "source": e.source,
                "cohort": e.cohort,
                "enrolled_at": iso(e.created_at),
                "completed_at": iso(e.completed_at),
                "cancelled_at": iso(e.cancelled_at),
            }
            for e in enrollments
        ],
        "lesson_progress": [
            {
                "enrollment": p.enrollment_id,
                "lesson": {"id": p.lesson_id, "title": p.lesson.title},
                "completed_at": iso(p.completed_at),
            }
            for p in progress
        ],
        "certificates": [
            {
                "code": c.code,
                "course": {"id": c.enrollment.course_id, "title": c.enrollment.course.title},
                "issued_at": iso(c.issued_at),
            }
            for c in certificates
        ],
    }


def personal_data_erase(user) -> None:
    """Learning records stay (a certificate rests on them); the cohort copied from the
    person's profile goes."""
    Enrollment.objects.filter(student=user).exclude(cohort="").update(cohort="")
