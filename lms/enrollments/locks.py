"""Locked lessons: the one rule for sequential courses and drip release.

A lesson is locked for a learner while its module's release time (`release_days` after
their enrollment became active) has not come, and, in a sequential course, while any
earlier lesson (module order, then lesson order) is not complete. The course's
instructor, admins and preview lessons are never locked. Nothing is stored: a change to
`sequential` or `release_days` holds at once. Content access (`courses/access.py`) asks
here through its `lesson_lock_rules` registry.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from lms.common.permissions import is_admin
from lms.courses.access import LessonLock
from lms.courses.models import Lesson

from .models import LessonProgress
from .selectors import open_enrollments_of


def _may_lock(user, lesson: Lesson) -> bool:
    module = lesson.module
    course = module.course
    if lesson.is_preview or course.instructor_id == user.pk:
        return False
    return course.sequential or module.release_days is not None


def _blocked_in_sequence(user, course_ids: set[int]) -> set[int]:
    """Ids of the lessons of `course_ids` that follow a lesson `user` has not completed."""
    done = LessonProgress.objects.filter(enrollment__student=user, lesson=OuterRef("pk"))
    rows = (
        Lesson.objects.filter(module__course_id__in=course_ids)
        .annotate(done=Exists(done))
        .order_by("module__course_id", "module__order", "order")
        .values_list("pk", "module__course_id", "done")
    )
    blocked, open_before = set(), set()
    for pk, course_id, is_done in rows:
        if course_id in open_before:
            blocked.add(pk)
        if not is_done:
            open_before.add(course_id)
    return blocked


def lesson_locks(user, lessons: Iterable[Lesson], *, now=None) -> dict[int, LessonLock]:
    """The locked ones among `lessons` (loaded with module and course) for `user`.

    At most two queries for any number of lessons: the user's open enrollments in their
    courses (activation times), and the order and completion of the sequential courses'
    lessons. `available_at` is the release time while a lesson is time-locked, else None.
    """
    if not (user and user.is_authenticated) or is_admin(user):
        return {}
    candidates = [lesson for lesson in lessons if _may_lock(user, lesson)]
    if not candidates:
        return {}
    course_ids = {lesson.module.course_id for lesson in candidates}
    activated = dict(
        open_enrollments_of(user)
        .filter(course_id__in=course_ids)
        .values_list("course_id", "activated_at")
    )
    sequential = {
        lesson.module.course_id
        for lesson in candidates
        if lesson.module.course.sequential and lesson.module.course_id in activated
    }
    blocked = _blocked_in_sequence(user, sequential) if sequential else set()
    now = now or timezone.now()
    locks = {}
    for lesson in candidates:
        start = activated.get(lesson.module.course_id)
        if start is None:
            continue  # not a learner here: what they may read is content access's call
        release_days = lesson.module.release_days
        release = start + timedelta(days=release_days) if release_days is not None else None
        available_at = release if release is not None and release > now else None
        if available_at is not None or lesson.pk in blocked:
            locks[lesson.pk] = LessonLock(locked=True, available_at=available_at)
    return locks
