"""Announcements: posting (who, to whom), reading, editing, deleting."""

import pytest
from django.core import mail

from lms.cohorts.models import Announcement
from lms.enrollments.models import Enrollment
from lms.notifications.models import Notification
from lms.users.tests.factories import InstructorFactory, StudentFactory

from .conftest import enroll

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def post_url(course):
    return f"{API}courses/{course.pk}/announcements/"


BODY = {"title": "Exam moved", "body": "The exam is on Friday."}


def post(client, course, capture, **extra):
    with capture(execute=True):
        return client.post(post_url(course), {**BODY, **extra}, format="json")


def test_who_may_post(api_client, auth_client, course, admin, student, instructor,
                      django_capture_on_commit_callbacks):  # fmt: skip
    capture = django_capture_on_commit_callbacks
    enrolled_student = enroll(course).student  # an enrolled student is refused too
    assert api_client.post(post_url(course), BODY, format="json").status_code == 401
    assert auth_client(student).post(post_url(course), BODY, format="json").status_code == 403
    enrolled = auth_client(enrolled_student)
    assert enrolled.post(post_url(course), BODY, format="json").status_code == 403
    other = auth_client(InstructorFactory())
    assert other.post(post_url(course), BODY, format="json").status_code == 403
    assert not Announcement.objects.exists()
    assert post(auth_client(instructor), course, capture).status_code == 201
    assert post(auth_client(admin), course, capture).status_code == 201
    assert auth_client(admin).post(f"{API}courses/999999/announcements/", BODY).status_code == 404


def test_bad_input_is_400_and_changes_nothing(auth_client, instructor, course):
    enroll(course)
    client = auth_client(instructor)
    for body in ({}, {"title": "", "body": "x"}, {"title": "x" * 201, "body": "x"},
                 {**BODY, "send_email": "perhaps"}):  # fmt: skip
        response = client.post(post_url(course), body, format="json")
        assert response.status_code == 400, body
    assert not Announcement.objects.exists() and not Notification.objects.exists()


def test_every_open_enrollee_is_told_and_emailed_unless_opted_out(
    auth_client, instructor, course, django_capture_on_commit_callbacks
):
    active = enroll(course, email="active@example.com")
    done = enroll(course, email="done@example.com", status=Enrollment.Status.COMPLETED)
    quiet = enroll(course, email="quiet@example.com", email_notifications=False)
    enroll(course, email="gone@example.com", status=Enrollment.Status.CANCELLED)
    StudentFactory(email="stranger@example.com")
    response = post(auth_client(instructor), course, django_capture_on_commit_callbacks)
    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "Exam moved" and body["send_email"] is True
    assert body["author"]["id"] == instructor.pk and body["course"] == course.pk
    told = Notification.objects.filter(kind="announcement")
    assert set(told.values_list("user__email", flat=True)) == {
        "active@example.com", "done@example.com", "quiet@example.com",
    }  # fmt: skip
    notice = told.get(user=active.student)
    assert (notice.title, notice.body) == ("Exam moved", "The exam is on Friday.")
    assert notice.data["announcement"] == body["id"] and notice.data["course"] == course.pk
    assert sorted(m.to[0] for m in mail.outbox) == ["active@example.com", "done@example.com"]
    assert "Exam moved" in mail.outbox[0].subject and course.title in mail.outbox[0].subject
    assert quiet.student.email not in str([m.to for m in mail.outbox])
    assert done.student.notifications.count() == 1


def test_send_email_false_sends_none(auth_client, instructor, course,
                                     django_capture_on_commit_callbacks):  # fmt: skip
    enroll(course)
    response = post(auth_client(instructor), course, django_capture_on_commit_callbacks,
                    send_email=False)  # fmt: skip
    assert response.status_code == 201
    assert mail.outbox == []
    assert Notification.objects.filter(kind="announcement").count() == 1


def test_notifications_are_inserted_in_batches(
    auth_client, instructor, course, django_assert_max_num_queries
):
    for _ in range(30):
        enroll(course)
    client = auth_client(instructor)
    # not one INSERT per student: the count stays small with 30 students
    with django_assert_max_num_queries(16):
        assert client.post(post_url(course), BODY, format="json").status_code == 201
    assert Notification.objects.filter(kind="announcement").count() == 30


def test_reading_the_list(api_client, auth_client, course, instructor, admin, student,
                          django_capture_on_commit_callbacks):  # fmt: skip
    learner = enroll(course).student
    cancelled = enroll(course, status=Enrollment.Status.CANCELLED).student
    older = post(auth_client(instructor), course, django_capture_on_commit_callbacks).json()
    newer = post(auth_client(admin), course, django_capture_on_commit_callbacks).json()
    filtered = f"{API}announcements/?course_id={course.pk}"
    assert api_client.get(filtered).status_code == 401
    for user in (learner, instructor, admin):
        response = auth_client(user).get(filtered)
        assert response.status_code == 200
        assert [a["id"] for a in response.json()["results"]] == [newer["id"], older["id"]]
    for user in (student, cancelled, InstructorFactory()):
        assert auth_client(user).get(filtered).status_code == 403
        assert auth_client(user).get(f"{API}announcements/").json()["results"] == []
        assert auth_client(user).get(f"{API}announcements/{older['id']}/").status_code == 404
    assert auth_client(learner).get(f"{API}announcements/?course_id=999999").status_code == 404
    assert auth_client(learner).get(f"{API}announcements/?course_id=abc").status_code == 400
    assert auth_client(learner).get(f"{API}announcements/{older['id']}/").status_code == 200


def test_the_list_costs_the_same_for_one_or_many(
    auth_client, instructor, course, assert_constant_queries
):
    learner = enroll(course).student
    Announcement.objects.create(course=course, author=instructor, title="t", body="b")
    client = auth_client(learner)
    assert_constant_queries(
        lambda: client.get(f"{API}announcements/?course_id={course.pk}"),
        lambda: [
            Announcement.objects.create(
                course=course, author=InstructorFactory(), title="t", body="b"
            )
            for _ in range(5)
        ],
    )


def test_editing_and_deleting(auth_client, course, instructor, admin,
                              django_capture_on_commit_callbacks):  # fmt: skip
    learner = enroll(course).student
    posted = post(auth_client(instructor), course, django_capture_on_commit_callbacks).json()
    detail = f"{API}announcements/{posted['id']}/"
    # readers read but do not write; another instructor cannot even find it
    assert auth_client(learner).patch(detail, {"title": "x"}, format="json").status_code == 403
    assert auth_client(learner).delete(detail).status_code == 403
    assert auth_client(InstructorFactory()).patch(detail, {"title": "x"}).status_code == 404
    assert auth_client(instructor).put(detail, BODY, format="json").status_code == 405
    # the author edits; bad input is a 400 that changes nothing
    assert auth_client(instructor).patch(detail, {"title": ""}, format="json").status_code == 400
    response = auth_client(instructor).patch(detail, {"title": "Exam moved again"}, format="json")
    assert response.status_code == 200 and response.json()["title"] == "Exam moved again"
    assert learner.notifications.get().title == "Exam moved again"
    # an admin deletes; the notifications go with it
    assert auth_client(admin).delete(detail).status_code == 204
    assert not Announcement.objects.exists()
    assert not learner.notifications.exists()
    assert auth_client(learner).get(detail).status_code == 404
