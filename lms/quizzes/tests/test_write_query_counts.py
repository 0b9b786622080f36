"""Every write of learning runs as many queries on a big course as on a small one.

start, answers/, submit and lessons/{id}/complete/: the count is measured for one student
on a small course, the course then grows (lessons, other students' attempts and progress),
and another student's identical write must cost the same. Today's counts (token user
lookup included) are ceilings: a regression shows as a number (issue 13).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.courses.tests.factories import LessonFactory, ModuleFactory
from lms.enrollments.tests.factories import EnrollmentFactory, LessonProgressFactory

from .factories import QuizSubmissionFactory

pytestmark = pytest.mark.django_db


def queries_of(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code in (200, 201), response.content
    return len(queries)


def grow(course, quiz) -> None:
    module = ModuleFactory(course=course, order=course.modules.count() + 1)
    lessons = [LessonFactory(module=module, order=n) for n in range(1, 21)]
    for _ in range(10):
        other = EnrollmentFactory(course=course)
        for lesson in lessons[:5]:
            LessonProgressFactory(enrollment=other, lesson=lesson)
        QuizSubmissionFactory(quiz=quiz, student=other.student)


def learner(course):
    return EnrollmentFactory(course=course).student


def test_start_costs_the_same_on_a_big_course(auth_client, course, quiz):
    small = queries_of(
        lambda: auth_client(learner(course)).post(f"/api/v1/quizzes/{quiz.pk}/start/")
    )
    grow(course, quiz)
    large = queries_of(
        lambda: auth_client(learner(course)).post(f"/api/v1/quizzes/{quiz.pk}/start/")
    )

    assert large == small


def _answers(auth_client, student, quiz, all_correct):
    client = auth_client(student)
    submission = client.post(f"/api/v1/quizzes/{quiz.pk}/start/").json()["submission_id"]
    path = f"/api/v1/quiz-submissions/{submission}/answers/"
    client.put(path, {"answers": all_correct[:1]}, format="json")  # the answer exists: replaced
    return lambda: client.put(path, {"answers": all_correct[:1]}, format="json")


def test_saving_answers_costs_the_same_on_a_big_course(auth_client, course, quiz, all_correct):
    small = queries_of(_answers(auth_client, learner(course), quiz, all_correct))
    grow(course, quiz)
    large = queries_of(_answers(auth_client, learner(course), quiz, all_correct))

    assert large == small <= 20  # + the student's due time (their accommodation's)


def test_submit_costs_the_same_on_a_big_course(auth_client, course, quiz, all_correct):
    # a lesson left to do: a pass does not complete the course (certificates are another path)
    LessonFactory(module=ModuleFactory(course=course, order=1), order=1)

    def submit(student):
        client = auth_client(student)
        return lambda: client.post(
            f"/api/v1/quizzes/{quiz.pk}/submit/", {"answers": all_correct}, format="json"
        )

    small = queries_of(submit(learner(course)))
    grow(course, quiz)
    large = queries_of(submit(learner(course)))

    assert large == small <= 28


def test_completing_a_lesson_costs_the_same_on_a_big_course(auth_client, course, quiz):
    module = ModuleFactory(course=course, order=1)
    first, _second = LessonFactory(module=module, order=1), LessonFactory(module=module, order=2)

    def complete(student):
        client = auth_client(student)
        return lambda: client.post(f"/api/v1/lessons/{first.pk}/complete/")

    small = queries_of(complete(learner(course)))
    grow(course, quiz)
    student = learner(course)
    large = queries_of(complete(student))
    again = queries_of(complete(student))

    assert large == small <= 17  # 16, plus the lesson trail of the answer (one query)
    assert again <= 8  # already complete: nothing written, no completion check (+1: the trail)
