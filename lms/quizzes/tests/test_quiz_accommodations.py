"""Accommodations: their CRUD for each role, and start and submit honouring them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lms.audit.models import AuditEntry
from lms.courses.tests.factories import CourseFactory
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.quizzes.models import Accommodation, QuizSubmission

from .factories import QuizFactory, quiz_with_every_kind

pytestmark = pytest.mark.django_db


def url(quiz, accommodation=None) -> str:
    base = f"/api/v1/quizzes/{quiz.pk}/accommodations/"
    return f"{base}{accommodation.pk}/" if accommodation else base


@pytest.fixture
def accommodation(quiz, enrolled):
    return Accommodation.objects.create(quiz=quiz, student=enrolled, extra_attempts=1)


# --- who manages them ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["instructor", "admin"])
def test_the_courses_instructor_and_admins_create_read_change_and_delete(
    auth_client, request, quiz, enrolled, role
):
    client = auth_client(request.getfixturevalue(role))

    created = client.post(
        url(quiz), {"student": enrolled.pk, "extra_minutes": 15, "extra_attempts": 2}
    )
    body = created.json()
    listed = client.get(url(quiz))
    changed = client.patch(f"{url(quiz)}{body['id']}/", {"extra_minutes": 30})
    read = client.get(f"{url(quiz)}{body['id']}/")
    deleted = client.delete(f"{url(quiz)}{body['id']}/")

    assert created.status_code == 201, created.content
    assert (body["quiz"], body["student"], body["extra_minutes"], body["extra_attempts"]) == (
        quiz.pk,
        enrolled.pk,
        15,
        2,
    )
    assert body["due_at"] is None
    assert body["student_detail"]["email"] == enrolled.email
    assert [a["id"] for a in listed.json()["results"]] == [body["id"]]
    assert changed.status_code == 200 and read.json()["extra_minutes"] == 30
    assert deleted.status_code == 204
    assert not Accommodation.objects.exists()
    actor = request.getfixturevalue(role)
    trail = list(
        AuditEntry.objects.filter(target_type="accommodation")
        .order_by("id")
        .values_list("action", "actor", "target_id", "changes")
    )
    assert [(action, who, target) for action, who, target, _ in trail] == [
        ("accommodation.created", actor.pk, str(body["id"])),
        ("accommodation.changed", actor.pk, str(body["id"])),
        ("accommodation.deleted", actor.pk, str(body["id"])),
    ]
    assert trail[1][3] == {"extra_minutes": [15, 30]}


def test_anonymous_callers_get_401(api_client, quiz, accommodation):
    assert api_client.get(url(quiz)).status_code == 401
    assert api_client.get(url(quiz, accommodation)).status_code == 401
    assert api_client.post(url(quiz), {"student": 1}).status_code == 401


def test_students_get_403_even_for_their_own(auth_client, quiz, enrolled, accommodation):
    client = auth_client(enrolled)

    answers = [
        client.get(url(quiz)).status_code,
        client.get(url(quiz, accommodation)).status_code,
        client.post(url(quiz), {"student": enrolled.pk, "extra_attempts": 5}).status_code,
        client.patch(url(quiz, accommodation), {"extra_attempts": 9}).status_code,
        client.delete(url(quiz, accommodation)).status_code,
    ]

    assert answers == [403] * 5
    accommodation.refresh_from_db()
    assert accommodation.extra_attempts == 1


def test_another_instructor_gets_403_on_a_published_quiz_and_404_on_a_draft(
    auth_client, other_instructor, quiz, enrolled, accommodation
):
    client = auth_client(other_instructor)
    draft = QuizFactory(course=quiz.course, is_published=False)

    assert client.get(url(quiz)).status_code == 403
    assert client.patch(url(quiz, accommodation), {"extra_attempts": 9}).status_code == 403
    assert client.post(url(quiz), {"student": enrolled.pk}).status_code == 403
    assert client.get(url(draft)).status_code == 404
    assert client.get("/api/v1/quizzes/999999/accommodations/").status_code == 404
    accommodation.refresh_from_db()
    assert accommodation.extra_attempts == 1


def test_another_quizs_accommodation_is_a_404(auth_client, instructor, quiz, course, accommodation):
    other_quiz = quiz_with_every_kind(course=course)
    client = auth_client(instructor)

    assert client.get(url(other_quiz, accommodation)).status_code == 404
    assert client.delete(url(other_quiz, accommodation)).status_code == 404
    assert Accommodation.objects.filter(pk=accommodation.pk).exists()


# --- input ---------------------------------------------------------------------------


def test_one_accommodation_per_student_and_quiz(auth_client, instructor, quiz, accommodation):
    response = auth_client(instructor).post(
        url(quiz), {"student": accommodation.student_id, "extra_minutes": 5}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "accommodation_exists"
    assert Accommodation.objects.count() == 1


@pytest.mark.parametrize(
    "who", ["outsider", "instructor", "other_course_student", "cancelled", "unknown"]
)
def test_the_student_must_be_enrolled_in_the_course(auth_client, instructor, quiz, request, who):
    if who == "other_course_student":
        student_id = EnrollmentFactory(course=CourseFactory()).student.pk
    elif who == "cancelled":
        student_id = EnrollmentFactory(course=quiz.course, status="cancelled").student.pk
    elif who == "unknown":
        student_id = 999999
    else:
        student_id = request.getfixturevalue(who).pk

    response = auth_client(instructor).post(url(quiz), {"student": student_id})

    assert response.status_code == 400
    assert "student" in response.json()
    assert not Accommodation.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"extra_minutes": -1},
        {"extra_attempts": -1},
        {"extra_minutes": "many"},
        {"extra_attempts": 101},
        {"due_at": "tomorrow"},
        {"student": None},
    ],
)
def test_bad_input_is_a_400_that_changes_nothing(
    auth_client, instructor, quiz, enrolled, accommodation, payload
):
    client = auth_client(instructor)

    created = client.post(url(quiz), {"student": enrolled.pk, **payload}, format="json")
    changed = client.patch(url(quiz, accommodation), payload, format="json")

    assert created.status_code == changed.status_code == 400
    accommodation.refresh_from_db()
    assert (accommodation.extra_minutes, accommodation.extra_attempts) == (0, 1)


def test_an_accommodation_cannot_move_to_another_student(
    auth_client, instructor, quiz, course, accommodation
):
    other = EnrollmentFactory(course=course).student

    response = auth_client(instructor).patch(url(quiz, accommodation), {"student": other.pk})

    assert response.status_code == 400
    accommodation.refresh_from_db()
    assert accommodation.student_id != other.pk


def test_an_own_due_time_before_the_quiz_opens_is_a_400(auth_client, instructor, quiz, enrolled):
    quiz.available_from = timezone.now() + timedelta(days=2)
    quiz.save(update_fields=["available_from"])

    response = auth_client(instructor).post(
        url(quiz),
        {"student": enrolled.pk, "due_at": (timezone.now() + timedelta(days=1)).isoformat()},
    )

    assert response.status_code == 400
    assert "due_at" in response.json()


def test_the_list_runs_the_same_queries_for_one_row_and_many(auth_client, instructor, quiz, course):
    client = auth_client(instructor)
    Accommodation.objects.create(quiz=quiz, student=EnrollmentFactory(course=course).student)
    client.get(url(quiz))  # warm: the first request of a client reads what later ones cache
    with CaptureQueriesContext(connection) as one:
        assert client.get(url(quiz)).json()["count"] == 1
    for _ in range(5):
        Accommodation.objects.create(quiz=quiz, student=EnrollmentFactory(course=course).student)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(quiz)).json()["count"] == 6

    assert len(one) == len(many)


# --- start and submit honour them ----------------------------------------------------


def start(client, quiz):
    return client.post(f"/api/v1/quizzes/{quiz.pk}/start/")


def test_extra_attempts_let_the_student_start_more_times(
    auth_client, enrolled, quiz, accommodation
):
    client = auth_client(enrolled)

    answers = [start(client, quiz).status_code for _ in range(5)]

    assert answers == [201, 201, 201, 201, 409]  # 3 + 1
    assert QuizSubmission.objects.filter(student=enrolled).count() == 4


def test_other_students_keep_the_quizs_limits(auth_client, quiz, course, accommodation):
    other = EnrollmentFactory(course=course).student
    client = auth_client(other)

    answers = [start(client, quiz).status_code for _ in range(4)]

    assert answers == [201, 201, 201, 409]


def test_an_own_due_time_opens_a_closed_quiz_for_the_student(
    auth_client, enrolled, quiz, course, accommodation
):
    quiz.due_at = timezone.now() - timedelta(hours=1)
    quiz.save(update_fields=["due_at"])
    own_due = timezone.now() + timedelta(days=1)
    accommodation.due_at = own_due
    accommodation.save(update_fields=["due_at"])
    other = EnrollmentFactory(course=course).student

    mine = start(auth_client(enrolled), quiz)
    theirs = start(auth_client(other), quiz)

    assert mine.status_code == 201
    assert mine.json()["expires_at"] == own_due.isoformat().replace("+00:00", "Z")
    assert theirs.status_code == 409 and theirs.json()["code"] == "quiz_closed"


def test_extra_minutes_lengthen_the_time_limit(
    auth_client, enrolled, quiz, accommodation, all_correct
):
    quiz.time_limit_minutes = 10
    quiz.save(update_fields=["time_limit_minutes"])
    accommodation.extra_minutes = 20
    accommodation.save(update_fields=["extra_minutes"])
    client = auth_client(enrolled)
    sid = start(client, quiz).json()["submission_id"]
    submission = QuizSubmission.objects.get(pk=sid)
    assert submission.expires_at - submission.started_at == timedelta(minutes=30)
    # 25 minutes later: past the quiz's own limit, within the student's.
    QuizSubmission.objects.filter(pk=sid).update(
        started_at=submission.started_at - timedelta(minutes=25),
        expires_at=submission.expires_at - timedelta(minutes=25),
    )

    response = client.post(
        f"/api/v1/quizzes/{quiz.pk}/submit/",
        {"submission_id": sid, "answers": all_correct},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["percent"] == 100


def test_my_limits_show_the_effective_values(auth_client, enrolled, quiz, accommodation):
    quiz.time_limit_minutes = 10
    quiz.save(update_fields=["time_limit_minutes"])
    accommodation.extra_minutes = 5
    accommodation.save(update_fields=["extra_minutes"])
    client = auth_client(enrolled)
    start(client, quiz)

    body = client.get(f"/api/v1/quizzes/{quiz.pk}/").json()

    assert body["my_limits"] == {
        "max_attempts": 4,
        "attempts_used": 1,
        "time_limit_minutes": 15,
        "due_at": None,
    }
    assert (body["max_attempts"], body["time_limit_minutes"]) == (3, 10)  # the quiz's own


def test_authors_get_no_my_limits(auth_client, instructor, quiz):
    assert "my_limits" not in auth_client(instructor).get(f"/api/v1/quizzes/{quiz.pk}/").json()
