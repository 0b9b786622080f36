"""Who may read, author, take and review quizzes."""

from rest_framework import permissions

from lms.common.permissions import is_student
from lms.courses.access import lesson_lock_check
from lms.courses.models import Lesson
from lms.courses.selectors import can_edit_course
from lms.enrollments.selectors import is_enrolled


def lesson_lock_check_for_quiz(user, quiz) -> None:
    """A quiz bound to a lesson opens with it: 403 `lesson_locked` while the lesson is locked
    for `user`, so none of its questions is served, started or submitted before then."""
    if quiz.lesson_id is not None:
        lesson = Lesson.objects.select_related("module__course").get(pk=quiz.lesson_id)
        lesson_lock_check(user, lesson)


def course_of(obj):
    """The course a quiz, question or submission belongs to."""
    quiz = getattr(obj, "quiz", obj)
    return quiz.course


class CanReadQuiz(permissions.BasePermission):
    """The course's instructor and admins; enrolled students for published quizzes."""

    message = "Enroll in this course to see its quizzes."

    def has_object_permission(self, request, view, obj):
        user = request.user
        if can_edit_course(user, obj.course):
            return True
        if not (is_student(user) and obj.is_published and is_enrolled(user, obj.course_id)):
            return False
        lesson_lock_check_for_quiz(user, obj)
        return True


class CanEditQuiz(permissions.BasePermission):
    """Only the course's instructor or an admin authors or reviews its quizzes."""

    message = "Only this course's instructor or an admin can do this."

    def has_object_permission(self, request, view, obj):
        return can_edit_course(request.user, course_of(obj))


class CanTakeQuiz(permissions.BasePermission):
    """Students enrolled in the quiz's course."""

    message = "Enroll in this course to take its quizzes."

    def has_object_permission(self, request, view, obj):
        if not (is_student(request.user) and is_enrolled(request.user, obj.course_id)):
            return False
        lesson_lock_check_for_quiz(request.user, obj)
        return True
