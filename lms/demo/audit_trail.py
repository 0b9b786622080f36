"""Demo audit entries, made the way real ones are: by the services, as the demo people."""

from lms.audit.models import AuditEntry
from lms.courses.models import Course
from lms.courses.services import course_update

DRAFT = "data-science-draft"


def seed(stdout) -> None:
    """Its instructor publishes the draft course and takes it back (once; it stays a draft)."""
    course = Course.objects.select_related("instructor").filter(slug=DRAFT).first()
    if course is None:
        stdout.write(f"  skipped audit trail: no course {DRAFT!r}\n")
        return
    seen = AuditEntry.objects.filter(target_type="course", target_id=str(course.pk))
    if not seen.exists() and not course.is_published:
        for published in (True, False):
            course_update(
                course=course,
                data={"is_published": published},
                acting_user=course.instructor,
                ip="127.0.0.1",
            )
    stdout.write(f"  audit log: {AuditEntry.objects.count()} entries\n")
