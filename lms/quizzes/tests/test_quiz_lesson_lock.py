"""A quiz bound to a lesson opens with it: while the lesson is locked for a student (sequential
course, drip release), its questions are not served and it cannot be started or submitted."""

import pytest

from lms.courses.tests.factories import LessonFactory, ModuleFactory
from lms.enrollments.models import Enrollment
from lms.enrollments.tests.factories import LessonProgressFactory
from lms.quizzes.models import QuizSubmission

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked_quiz(course, quiz):
    """`quiz` bound to the second lesson of a sequential course (locked until the first)."""
    course.sequential = True
    course.save(update_fields=["sequential"])
    module = ModuleFactory(course=course, order=1)
    first = LessonFactory(module=module, order=1)
    second = LessonFactory(module=module, order=2)
    quiz.lesson = second
    quiz.save(update_fields=["lesson"])
    return quiz, first


def test_a_locked_lessons_quiz_is_refused_to_the_student(auth_client, enrolled, locked_quiz):
    quiz, _ = locked_quiz
    client = auth_client(enrolled)

    for response in (
        client.get(f"/api/v1/quizzes/{quiz.pk}/"),
        client.post(f"/api/v1/quizzes/{quiz.pk}/start/"),
        client.post(f"/api/v1/quizzes/{quiz.pk}/submit/", {"answers": []}, format="json"),
    ):
        assert response.status_code == 403, response.content
        assert response.json()["code"] == "lesson_locked"
        assert response.json()["available_at"] is None
        assert "Capital of France" not in response.content.decode()
    assert not QuizSubmission.objects.exists()


def test_it_opens_with_its_lesson(auth_client, enrolled, course, locked_quiz):
    quiz, first = locked_quiz
    enrollment = Enrollment.objects.get(student=enrolled, course=course)
    LessonProgressFactory(enrollment=enrollment, lesson=first)

    client = auth_client(enrolled)

    assert client.get(f"/api/v1/quizzes/{quiz.pk}/").status_code == 200
    assert client.post(f"/api/v1/quizzes/{quiz.pk}/start/").status_code == 201


@pytest.mark.parametrize("role", ["instructor", "admin"])
def test_authors_are_never_locked_out(auth_client, request, role, locked_quiz):
    quiz, _ = locked_quiz

    response = auth_client(request.getfixturevalue(role)).get(f"/api/v1/quizzes/{quiz.pk}/")

    assert response.status_code == 200


def test_a_student_not_enrolled_still_gets_the_plain_403(auth_client, outsider, locked_quiz):
    quiz, _ = locked_quiz

    response = auth_client(outsider).get(f"/api/v1/quizzes/{quiz.pk}/")

    assert response.status_code == 403
    assert response.json()["code"] != "lesson_locked"
