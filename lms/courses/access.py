"""Who may read a course's content (modules, lessons, items, their files): the one rule.

Readers are the course's learners, its instructor and admins; a preview lesson of a
published course (with its items) is open to anyone. Who is a learner is decided above
this app: the enrollments app registers "the courses a user holds an open enrollment in".
"""

from django.db.models import Q

from lms.common.permissions import is_admin
from lms.common.registry import Registry

from .models import Course

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
