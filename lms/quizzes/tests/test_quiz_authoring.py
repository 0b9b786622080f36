"""Authoring quizzes: listing, creating, changing and deleting them."""

import pytest

from lms.courses.tests.factories import CourseFactory, LessonFactory, ModuleFactory
from lms.quizzes.models import Quiz

from .factories import QuizFactory, QuizSubmissionFactory

pytestmark = pytest.mark.django_db

QUIZZES = "/api/v1/quizzes/"
QUESTIONS = "/api/v1/questions/"


def quiz_url(quiz) -> str:
    return f"{QUIZZES}{quiz.pk}/"


def question_url(q) -> str:
    return f"{QUESTIONS}{q.pk}/"


def single_choice(quiz, **overrides) -> dict:
    return {
        "quiz": quiz.pk,
        "text": "2 + 2?",
        "kind": "single_choice",
        "points": 2,
        "choices": [{"text": "4", "is_correct": True}, {"text": "5", "is_correct": False}],
        **overrides,
    }


# --- quizzes: reading ----------------------------------------------------------------


def test_enrolled_student_lists_only_published_quizzes(auth_client, enrolled, quiz, course):
    QuizFactory(course=course, is_published=False)
    QuizFactory()  # another course

    response = auth_client(enrolled).get(QUIZZES)

    assert response.status_code == 200
    assert [q["id"] for q in response.json()["results"]] == [quiz.pk]
    assert response.json()["results"][0]["question_count"] == 4


def test_instructor_lists_all_quizzes_of_their_courses(auth_client, instructor, quiz, course):
    draft = QuizFactory(course=course, is_published=False)
    QuizFactory()

    body = auth_client(instructor).get(QUIZZES, {"course_id": course.pk}).json()

    assert {q["id"] for q in body["results"]} == {quiz.pk, draft.pk}


def test_admin_lists_every_quiz(auth_client, admin, quiz):
    other = QuizFactory(is_published=False)

    body = auth_client(admin).get(QUIZZES).json()

    assert {q["id"] for q in body["results"]} == {quiz.pk, other.pk}


def test_quiz_fields_are_the_contract(auth_client, instructor, quiz):
    body = auth_client(instructor).get(QUIZZES).json()["results"][0]

    assert set(body) >= {
        "id",
        "course",
        "lesson",
        "title",
        "description",
        "time_limit_minutes",
        "max_attempts",
        "pass_percent",
        "is_published",
        "question_count",
    }


@pytest.mark.parametrize("role", ["outsider", "other_instructor"])
def test_filtering_by_a_course_one_cannot_read_is_403(auth_client, quiz, course, role, request):
    response = auth_client(request.getfixturevalue(role)).get(QUIZZES, {"course_id": course.pk})

    assert response.status_code == 403


def test_filtering_by_an_unknown_or_bad_course(auth_client, enrolled):
    assert auth_client(enrolled).get(QUIZZES, {"course_id": 999999}).status_code == 404
    assert auth_client(enrolled).get(QUIZZES, {"course_id": "x"}).status_code == 400


def test_other_roles_list_nothing_of_the_course(auth_client, quiz, outsider, other_instructor):
    assert auth_client(outsider).get(QUIZZES).json()["count"] == 0
    assert auth_client(other_instructor).get(QUIZZES).json()["count"] == 0


def test_anonymous_cannot_list_quizzes(api_client, quiz):
    assert api_client.get(QUIZZES).status_code == 401


def test_another_instructor_cannot_read_a_quiz(auth_client, other_instructor, quiz):
    assert auth_client(other_instructor).get(quiz_url(quiz)).status_code == 403
    quiz.is_published = False
    quiz.save()
    assert auth_client(other_instructor).get(quiz_url(quiz)).status_code == 404


# --- quizzes: writing ----------------------------------------------------------------


def test_course_instructor_creates_a_quiz(auth_client, instructor, course):
    lesson = LessonFactory(module=ModuleFactory(course=course))

    response = auth_client(instructor).post(
        QUIZZES,
        {
            "course": course.pk,
            "lesson": lesson.pk,
            "title": "Checkpoint",
            "time_limit_minutes": 15,
            "max_attempts": 2,
            "pass_percent": 70,
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["question_count"] == 0
    assert body["is_published"] is False
    quiz = Quiz.objects.get(pk=body["id"])
    assert (quiz.course, quiz.lesson, quiz.max_attempts) == (course, lesson, 2)


def test_lesson_of_another_course_is_400(auth_client, instructor, course):
    foreign = LessonFactory()

    response = auth_client(instructor).post(
        QUIZZES, {"course": course.pk, "lesson": foreign.pk, "title": "X"}
    )

    assert response.status_code == 400
    assert "lesson" in response.json()
    assert not Quiz.objects.exists()


@pytest.mark.parametrize(
    "field, value",
    [("pass_percent", 101), ("pass_percent", -1), ("max_attempts", 0), ("time_limit_minutes", 0)],
)
def test_out_of_range_settings_are_400(auth_client, instructor, course, field, value):
    response = auth_client(instructor).post(
        QUIZZES, {"course": course.pk, "title": "X", field: value}
    )

    assert response.status_code == 400
    assert field in response.json()


def test_admin_creates_a_quiz_in_any_course(auth_client, admin, course):
    response = auth_client(admin).post(QUIZZES, {"course": course.pk, "title": "By admin"})

    assert response.status_code == 201


@pytest.mark.parametrize("role", ["enrolled", "outsider", "other_instructor"])
def test_others_cannot_create_a_quiz(auth_client, course, role, request):
    response = auth_client(request.getfixturevalue(role)).post(
        QUIZZES, {"course": course.pk, "title": "Nope"}
    )

    assert response.status_code == 403
    assert not Quiz.objects.exists()


def test_anonymous_cannot_create_a_quiz(api_client, course):
    assert api_client.post(QUIZZES, {"course": course.pk, "title": "X"}).status_code == 401


def test_instructor_updates_and_publishes_a_quiz(auth_client, instructor, quiz):
    response = auth_client(instructor).patch(
        quiz_url(quiz), {"title": "Renamed", "is_published": False}
    )

    assert response.status_code == 200
    quiz.refresh_from_db()
    assert (quiz.title, quiz.is_published) == ("Renamed", False)


def test_a_quiz_cannot_move_to_another_course(auth_client, instructor, quiz):
    other = CourseFactory(instructor=instructor)

    response = auth_client(instructor).patch(quiz_url(quiz), {"course": other.pk})

    assert response.status_code == 400
    quiz.refresh_from_db()
    assert quiz.course_id != other.pk


def test_update_with_a_foreign_lesson_is_400(auth_client, instructor, quiz):
    response = auth_client(instructor).patch(quiz_url(quiz), {"lesson": LessonFactory().pk})

    assert response.status_code == 400


@pytest.mark.parametrize("role, code", [("enrolled", 403), ("other_instructor", 403)])
def test_others_cannot_change_or_delete_a_quiz(auth_client, quiz, role, code, request):
    client = auth_client(request.getfixturevalue(role))

    assert client.patch(quiz_url(quiz), {"title": "Hacked"}).status_code == code
    assert client.delete(quiz_url(quiz)).status_code == code
    quiz.refresh_from_db()
    assert quiz.title == "Basics"


def test_another_instructor_gets_404_for_a_draft_quiz(auth_client, other_instructor, quiz):
    quiz.is_published = False
    quiz.save()

    assert auth_client(other_instructor).patch(quiz_url(quiz), {"title": "X"}).status_code == 404


def test_admin_deletes_an_unattempted_quiz(auth_client, admin, quiz):
    assert auth_client(admin).delete(quiz_url(quiz)).status_code == 204
    assert not Quiz.objects.exists()


def test_a_quiz_with_attempts_cannot_be_deleted(auth_client, instructor, quiz):
    QuizSubmissionFactory(quiz=quiz)

    assert auth_client(instructor).delete(quiz_url(quiz)).status_code == 409
    assert Quiz.objects.filter(pk=quiz.pk).exists()
