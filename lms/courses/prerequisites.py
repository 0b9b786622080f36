"""A course's prerequisites: the courses to complete first, never itself, never a cycle.

Whether a student has completed them is the enrollments app's rule (`enrollments/prerequisites.py`).
"""

from django.core.exceptions import ValidationError

from .models import Course


def _prerequisites_reach(start: set[int], target: int) -> bool:
    """Whether following prerequisites from the courses `start` ever reaches `target`."""
    edges = Course.prerequisites.through.objects
    seen, frontier = set(start), set(start)
    while frontier:
        if target in frontier:
            return True
        following = set(
            edges.filter(from_course_id__in=frontier).values_list("to_course_id", flat=True)
        )
        frontier = following - seen
        seen |= following
    return False


def prerequisites_lock(*, course: Course, prerequisites) -> None:
    """Lock the course and its new prerequisites, in id order, before any other row.

    Two writers closing a two-course cycle at once queue up here (in the same order, so
    they never deadlock), and the second one sees the first one's edge.
    """
    ids = [course.pk, *(prerequisite.pk for prerequisite in prerequisites)]
    list(Course.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))


def course_prerequisites_set(*, course: Course, prerequisites) -> None:
    """Replace the course's prerequisites; itself or a cycle is a 400 that changes nothing."""
    ids = {prerequisite.pk for prerequisite in prerequisites}
    if course.pk in ids:
        raise ValidationError({"prerequisites": ["A course cannot be its own prerequisite."]})
    prerequisites_lock(course=course, prerequisites=prerequisites)
    if _prerequisites_reach(ids, course.pk):
        raise ValidationError(
            {
                "prerequisites": [
                    "These prerequisites would make a cycle: one of them requires this course."
                ]
            }
        )
    course.prerequisites.set(ids)
