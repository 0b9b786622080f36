"""Completing lessons, course progress, and completion with its one certificate."""

import pytest

from lms.enrollments.models import Certificate, Enrollment, LessonProgress
from lms.enrollments.services import enrollment_completion_check
from lms.enrollments.tests.factories import EnrollmentFactory, LessonProgressFactory
from lms.quizzes.tests.factories import QuizFactory, QuizSubmissionFactory

pytestmark = pytest.mark.django_db


def complete_url(lesson) -> str:
    return f"/api/v1/lessons/{lesson.pk}/complete/"


def progress_url(course) -> str:
    return f"/api/v1/courses/{course.pk}/progress/"


@pytest.fixture
def course_and_lessons(instructor, make_course):
    return make_course(lessons=3, instructor=instructor)


@pytest.fixture
def enrollment(student, course_and_lessons):
    course, _ = course_and_lessons
    return EnrollmentFactory(student=student, course=course)


# --- POST lessons/{id}/complete/ -----------------------------------------------------


def test_enrolled_student_completes_a_lesson(auth_client, student, enrollment, course_and_lessons):
    _, lessons = course_and_lessons

    response = auth_client(student).post(complete_url(lessons[0]))

    assert response.status_code == 200, response.content
    assert response.json() == {
        "completed_lessons": 1,
        "total_lessons": 3,
        "percent": 33,
        "quizzes_passed": 0,
        "quizzes_required": 0,
        "completed": False,
        "completed_lesson_ids": [lessons[0].pk],
        "next_lesson_id": lessons[1].pk,
    }


def test_completing_a_lesson_twice_is_idempotent(
    auth_client, student, enrollment, course_and_lessons
):
    _, lessons = course_and_lessons
    client = auth_client(student)
    client.post(complete_url(lessons[0]))

    response = client.post(complete_url(lessons[0]))

    assert response.status_code == 200
    assert response.json()["completed_lessons"] == 1
    assert LessonProgress.objects.filter(enrollment=enrollment).count() == 1


def test_student_not_enrolled_gets_404_for_a_hidden_lesson(
    auth_client, other_student, course_and_lessons
):
    _, lessons = course_and_lessons

    response = auth_client(other_student).post(complete_url(lessons[0]))

    assert response.status_code == 404
    assert not LessonProgress.objects.exists()


def test_student_not_enrolled_gets_403_for_a_preview_lesson(
    auth_client, other_student, course_and_lessons
):
    _, lessons = course_and_lessons
    lessons[0].is_preview = True
    lessons[0].save()

    response = auth_client(other_student).post(complete_url(lessons[0]))

    assert response.status_code == 403
    assert not LessonProgress.objects.exists()


def test_cancelled_student_can_no_longer_complete(
    auth_client, student, enrollment, course_and_lessons
):
    _, lessons = course_and_lessons
    enrollment.status = Enrollment.Status.CANCELLED
    enrollment.save()

    response = auth_client(student).post(complete_url(lessons[0]))

    assert response.status_code == 404


@pytest.mark.parametrize("role", ["instructor", "other_instructor", "admin"])
def test_instructor_and_admin_do_not_complete_lessons(
    request, auth_client, course_and_lessons, role
):
    _, lessons = course_and_lessons

    response = auth_client(request.getfixturevalue(role)).post(complete_url(lessons[0]))

    assert response.status_code == 403


def test_anonymous_gets_401(api_client, course_and_lessons):
    _, lessons = course_and_lessons

    assert api_client.post(complete_url(lessons[0])).status_code == 401


def test_unknown_lesson_is_404(auth_client, student):
    assert auth_client(student).post("/api/v1/lessons/999999/complete/").status_code == 404


# --- GET courses/{id}/progress/ ------------------------------------------------------


def test_enrolled_student_reads_progress_with_quizzes(auth_client, student, enrollment):
    course = enrollment.course
    lessons = list(course.modules.get().lessons.all())
    LessonProgressFactory(enrollment=enrollment, lesson=lessons[0])
    LessonProgressFactory(enrollment=enrollment, lesson=lessons[1])
    passed_quiz = QuizFactory(course=course)
    QuizFactory(course=course)
    QuizFactory(course=course, is_published=False)
    QuizSubmissionFactory(quiz=passed_quiz, student=student, passed=True)

    response = auth_client(student).get(progress_url(course))

    assert response.status_code == 200
    assert response.json() == {
        "completed_lessons": 2,
        "total_lessons": 3,
        "percent": 66,
        "quizzes_passed": 1,
        "quizzes_required": 2,
        "completed": False,
        "completed_lesson_ids": [lessons[0].pk, lessons[1].pk],
        "next_lesson_id": lessons[2].pk,
    }


def test_progress_query_count_does_not_grow_with_lessons(
    auth_client, student, enrollment, assert_constant_queries, make_course
):
    course = enrollment.course
    module = course.modules.get()
    client = auth_client(student)

    def grow():
        from lms.courses.tests.factories import LessonFactory

        for i in range(30):
            lesson = LessonFactory(module=module, order=100 + i)
            LessonProgressFactory(enrollment=enrollment, lesson=lesson)

    def call():
        assert client.get(progress_url(course)).status_code == 200

    assert_constant_queries(call, grow)
    assert client.get(progress_url(course)).json()["completed_lessons"] == 30


@pytest.mark.parametrize("role", ["other_student", "instructor", "admin"])
def test_progress_needs_an_enrollment(request, auth_client, course_and_lessons, role):
    course, _ = course_and_lessons

    response = auth_client(request.getfixturevalue(role)).get(progress_url(course))

    assert response.status_code == 403


def test_progress_of_a_hidden_draft_is_404(auth_client, student, make_course):
    course, _ = make_course(is_published=False)

    assert auth_client(student).get(progress_url(course)).status_code == 404


def test_progress_requires_authentication(api_client, course_and_lessons):
    course, _ = course_and_lessons

    assert api_client.get(progress_url(course)).status_code == 401


# --- completion and certificate --------------------------------------------------------


def test_completing_every_lesson_completes_the_course_and_issues_one_certificate(
    auth_client,
    student,
    enrollment,
    course_and_lessons,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    _, lessons = course_and_lessons
    client = auth_client(student)

    with django_capture_on_commit_callbacks(execute=True):
        for lesson in lessons:
            response = client.post(complete_url(lesson))
        client.post(complete_url(lessons[0]))  # a repeat after completion

    assert response.json()["completed"] is True
    assert response.json()["percent"] == 100
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert enrollment.completed_at is not None
    certificate = Certificate.objects.get(enrollment=enrollment)
    assert len(certificate.code) >= 20
    assert [m.subject for m in mailoutbox] == [f"Your certificate for {enrollment.course.title}"]
    assert certificate.code in mailoutbox[0].body


def test_unpassed_published_quiz_holds_completion_back(
    auth_client, student, enrollment, course_and_lessons
):
    _, lessons = course_and_lessons
    quiz = QuizFactory(course=enrollment.course)
    client = auth_client(student)

    for lesson in lessons:
        client.post(complete_url(lesson))

    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ACTIVE
    assert not Certificate.objects.exists()

    # The quiz app calls this after grading a passing submission.
    QuizSubmissionFactory(quiz=quiz, student=student, passed=True)
    completed = enrollment_completion_check(student=student, course_id=enrollment.course_id)

    assert completed == enrollment
    completed.refresh_from_db()
    assert completed.status == Enrollment.Status.COMPLETED
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1


def test_completion_check_is_none_while_work_remains(student, enrollment):
    assert enrollment_completion_check(student=student, course_id=enrollment.course_id) is None
    assert enrollment_completion_check(student=student, course_id=999999) is None


def test_completion_check_issues_the_certificate_once(student, enrollment):
    for lesson in enrollment.course.modules.get().lessons.all():
        LessonProgressFactory(enrollment=enrollment, lesson=lesson)

    first = enrollment_completion_check(student=student, course_id=enrollment.course_id)
    code = first.certificate.code
    enrollment_completion_check(student=student, course_id=enrollment.course_id)

    assert Certificate.objects.filter(enrollment=enrollment).count() == 1
    assert Certificate.objects.get().code == code


def test_progress_says_where_to_continue(auth_client, student, enrollment):
    lessons = list(enrollment.course.modules.get().lessons.order_by("order"))
    client = auth_client(student)

    fresh = client.get(progress_url(enrollment.course)).json()
    LessonProgressFactory(enrollment=enrollment, lesson=lessons[1])
    skipped_one = client.get(progress_url(enrollment.course)).json()
    for lesson in (lessons[0], lessons[2]):
        LessonProgressFactory(enrollment=enrollment, lesson=lesson)
    done = client.get(progress_url(enrollment.course)).json()

    assert (fresh["completed_lesson_ids"], fresh["next_lesson_id"]) == ([], lessons[0].pk)
    assert skipped_one["completed_lesson_ids"] == [lessons[1].pk]
    assert skipped_one["next_lesson_id"] == lessons[0].pk
    assert done["completed_lesson_ids"] == [lesson.pk for lesson in lessons]
    assert done["next_lesson_id"] is None
