"""Prerequisites: the courses a student completes before enrolling in (or paying for) a course.

Self-enrollment and checkout ask `enrollment_prerequisites_check`; staff enrollment does not.
A prerequisite that is not published is not required (nobody new could complete it).
"""

from lms.common.exceptions import Conflict
from lms.courses.models import Course

from .models import Enrollment

PREREQUISITES_NOT_MET = "prerequisites_not_met"


def prerequisites_missing(*, student, course: Course) -> list[int]:
    """Ids of `course`'s published prerequisites `student` has not completed (one query)."""
    completed = Enrollment.objects.filter(
        student=student, status=Enrollment.Status.COMPLETED
    ).values("course_id")
    missing = course.prerequisites.filter(is_published=True).exclude(pk__in=completed)
    return sorted(missing.values_list("pk", flat=True))


def enrollment_prerequisites_check(*, student, course: Course) -> None:
    """Refuse (409 `prerequisites_not_met`, with the missing ids) until they are completed."""
    missing = prerequisites_missing(student=student, course=course)
    if missing:
        raise Conflict(
            {
                "detail": "Complete this course's prerequisites first.",
                "code": PREREQUISITES_NOT_MET,
                "missing": missing,
            }
        )
