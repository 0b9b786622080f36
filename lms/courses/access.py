"""Who may read a course's content (modules, lessons, items, their files): the one rule.

Readers are the course's learners, its instructor and admins; a preview lesson of a
published course (with its items) is open to anyone. Who is a learner is decided above
this app: the enrollments app registers "the courses a user holds an open enrollment in".
A learner's lesson may also be locked (sequential course, drip release): the enrollments
app registers that rule too (`enrollments/locks.py`); every route that reads or completes
a lesson asks `lesson_lock_check`, and lists mark the locked ones.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from rest_framework import serializers

from lms.common.exceptions import NotAvailable
from lms.common.permissions import is_admin
from lms.common.registry import Registry

from .models import Course, Lesson

#: hook(user) -> a subquery of the ids of the courses `user` learns in.
learner_courses = Registry("courses a user learns in")


def _learner_q(user, prefix: str = "") -> Q:
    learns = Q(pk__in=[])
    for course_ids in learner_courses:
        learns |= Q(**{f"{prefix}pk__in": course_ids(user)})
    return learns


def content_readers_q(user, prefix: str = "") -> Q:
    """Courses (reached through `prefix`) whose whole content `user` reads."""
    if is_admin(user):
        # Not `Q()`: an empty Q vanishes when OR-ed with the preview condition.
        return Q(**{f"{prefix}pk__isnull": False})
    if not (user and user.is_authenticated):
        return Q(pk__in=[])
    readers = Q(**{f"{prefix}instructor": user})
    for course_ids in learner_courses:
        readers |= Q(**{f"{prefix}pk__in": course_ids(user)})
    return readers


def preview_lessons_q(prefix: str = "") -> Q:
    """Lessons (reached through `prefix`) open to anyone: previews of published courses."""
    # A preview of a draft stays hidden: drafts are not in the public catalog.
    return Q(**{f"{prefix}is_preview": True, f"{prefix}module__course__is_published": True})


def can_read_course_content(user, course: Course) -> bool:
    """Whether `user` reads every module, lesson and item of `course`."""
    if is_admin(user):
        return True
    if not (user and user.is_authenticated):
        return False
    if course.instructor_id == user.pk:
        return True
    return Course.objects.filter(_learner_q(user), pk=course.pk).exists()


# --- Locked lessons (sequential courses, drip release) ----------------------------------


@dataclass(frozen=True)
class LessonLock:
    """Whether a lesson is locked for a reader, and when it opens if that is a date."""

    locked: bool = False
    available_at: datetime | None = None


UNLOCKED = LessonLock()
LESSON_LOCKED = "lesson_locked"

#: hook(user, lessons) -> {lesson id: LessonLock} for the locked ones among `lessons`
#: (loaded with module and course). The enrollments app registers drip and sequence.
lesson_lock_rules = Registry("locked lessons")


def lesson_locks_for(user, lessons: Iterable[Lesson]) -> dict[int, LessonLock]:
    """The locked ones among `lessons` for `user` (a constant number of queries)."""
    lessons = list(lessons)
    locks: dict[int, LessonLock] = {}
    for rule in lesson_lock_rules:
        for pk, lock in rule(user, lessons).items():
            known = locks.get(pk, UNLOCKED)
            dates = [d for d in (known.available_at, lock.available_at) if d is not None]
            locks[pk] = LessonLock(locked=True, available_at=max(dates, default=None))
    return locks


def lessons_locked_in(user, lessons: QuerySet[Lesson]) -> set[int]:
    """Ids of the locked lessons among `lessons` (for lists of what lessons hold)."""
    if not (user and user.is_authenticated) or is_admin(user):
        return set()
    may_lock = Q(module__course__sequential=True) | Q(module__release_days__isnull=False)
    candidates = (
        lessons.filter(may_lock, is_preview=False)
        .exclude(module__course__instructor=user)
        .select_related("module__course")
    )
    return set(lesson_locks_for(user, candidates))


def lesson_lock_check(user, lesson: Lesson) -> None:
    """Refuse (403 `lesson_locked`) anything that reads or completes a locked lesson."""
    lock = lesson_locks_for(user, [lesson]).get(lesson.pk, UNLOCKED)
    if lock.locked:
        available_at = lock.available_at
        raise NotAvailable(
            {
                "detail": "This lesson is locked: complete the earlier lessons first."
                if available_at is None
                else "This lesson is not released yet.",
                "code": LESSON_LOCKED,
                "available_at": None
                if available_at is None
                else serializers.DateTimeField().to_representation(available_at),
            }
        )
