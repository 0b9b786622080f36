"""Locked lessons (sequential courses, drip release): lists mark them, every route refuses them.

A student can never read, download or complete a locked lesson by any route; the course's
instructor, admins and preview lessons are never locked; changes to the course hold at once.
"""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from rest_framework.test import APIClient

from lms.courses.downloads import download_token
from lms.courses.models import Course, Module
from lms.courses.tests.factories import (
    ContentItemFactory,
    CourseFactory,
    LessonFactory,
    ModuleFactory,
)
from lms.enrollments.models import Enrollment, LessonProgress
from lms.enrollments.tests.factories import EnrollmentFactory, LessonProgressFactory

pytestmark = pytest.mark.django_db

SECRET = "secret-body-of-a-locked-lesson"
ITEM_SECRET = "secret-text-of-a-locked-item"


@pytest.fixture
def path(instructor):
    """A sequential course: module 1 (at once) L1, L2; module 2 (7 days) L3 and a preview."""
    course = CourseFactory(instructor=instructor, sequential=True, title="Path")
    first = ModuleFactory(course=course, order=1)
    second = ModuleFactory(course=course, order=2, release_days=7)
    lessons = {
        "l1": LessonFactory(module=first, order=1, content="Lesson one."),
        "l2": LessonFactory(module=first, order=2, content=SECRET),
        "l3": LessonFactory(module=second, order=1, content=SECRET),
        "preview": LessonFactory(module=second, order=2, content="Open.", is_preview=True),
    }
    for key in ("l2", "l3"):
        ContentItemFactory(lesson=lessons[key], order=1, text=ITEM_SECRET)
        pdf = ContentItemFactory(lesson=lessons[key], order=2, kind="pdf", text="")
        pdf.file.save("notes.pdf", ContentFile(b"%PDF-1.4\n" + SECRET.encode()), save=True)
    return course, lessons


@pytest.fixture
def learner(path):
    course, _ = path
    return EnrollmentFactory(course=course).student


def enrollment_of(student, course) -> Enrollment:
    return Enrollment.objects.get(student=student, course=course)


def lesson_rows(client, course) -> dict:
    response = client.get("/api/v1/lessons/", {"course_id": course.pk})
    assert response.status_code == 200, response.content
    return {row["id"]: row for row in response.json()["results"]}


def assert_locked(response, available_at=None):
    assert response.status_code == 403, response.content
    body = response.json()
    assert body["code"] == "lesson_locked"
    assert body["detail"]
    assert body["available_at"] == available_at
    assert SECRET not in response.content.decode()


def iso(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


# --- Lists ----------------------------------------------------------------------------


def test_a_learner_sees_locks_in_the_list_and_no_content_of_locked_lessons(
    auth_client, learner, path
):
    course, lessons = path
    release = enrollment_of(learner, course).activated_at + timedelta(days=7)

    rows = lesson_rows(auth_client(learner), course)

    l1, l2, l3, preview = (rows[lessons[k].pk] for k in ("l1", "l2", "l3", "preview"))
    assert (l1["locked"], l1["available_at"], l1["content"]) == (False, None, "Lesson one.")
    assert (l2["locked"], l2["available_at"]) == (True, None)
    assert (l3["locked"], l3["available_at"]) == (True, iso(release))
    assert "content" not in l2 and "content" not in l3
    assert (preview["locked"], preview["content"]) == (False, "Open.")


def test_the_outline_marks_the_same_locks(auth_client, learner, path):
    course, lessons = path

    outline = auth_client(learner).get(f"/api/v1/courses/{course.pk}/outline/").json()

    shown = {row["id"]: row["locked"] for m in outline["modules"] for row in m["lessons"]}
    assert shown == {
        lessons["l1"].pk: False,
        lessons["l2"].pk: True,
        lessons["l3"].pk: True,
        lessons["preview"].pk: False,
    }
    assert outline["sequential"] is True


@pytest.mark.parametrize("role", ["instructor", "admin"])
def test_the_instructor_and_admins_are_never_locked(client_as, role, path):
    course, lessons = path

    client = client_as(role)
    rows = lesson_rows(client, course)

    assert all(row["locked"] is False and row["available_at"] is None for row in rows.values())
    assert rows[lessons["l3"].pk]["content"] == SECRET
    assert client.get(f"/api/v1/lessons/{lessons['l3'].pk}/").status_code == 200
    items = client.get("/api/v1/content-items/", {"lesson_id": lessons["l3"].pk})
    assert items.status_code == 200 and len(items.json()["results"]) == 2


def test_unfiltered_item_lists_leave_out_locked_lessons_items(auth_client, learner, path):
    _, lessons = path
    ContentItemFactory(lesson=lessons["l1"], order=1, text="Open item.")

    response = auth_client(learner).get("/api/v1/content-items/", {"page_size": 100})

    assert response.status_code == 200
    assert {row["lesson"] for row in response.json()["results"]} == {lessons["l1"].pk}
    assert ITEM_SECRET not in response.content.decode()


# --- Every route that reads or completes a lesson ---------------------------------------


def test_a_student_can_never_read_download_or_complete_a_locked_lesson(auth_client, learner, path):
    course, lessons = path
    client = auth_client(learner)
    release = iso(enrollment_of(learner, course).activated_at + timedelta(days=7))
    for key, available_at in (("l2", None), ("l3", release)):
        lesson = lessons[key]
        assert_locked(client.get(f"/api/v1/lessons/{lesson.pk}/"), available_at)
        assert_locked(client.get("/api/v1/content-items/", {"lesson_id": lesson.pk}), available_at)
        for item in lesson.content_items.all():
            assert_locked(client.get(f"/api/v1/content-items/{item.pk}/"), available_at)
            assert_locked(client.get(f"/api/v1/content-items/{item.pk}/download/"), available_at)
        pdf = lesson.content_items.get(kind="pdf")
        # A signed link issued to this student (say, before the course became sequential).
        token = download_token(
            kind="content-item", pk=pdf.pk, file_name=pdf.file.name, user=learner
        )
        assert_locked(
            APIClient().get(f"/api/v1/content-items/{pdf.pk}/download/", {"token": token}),
            available_at,
        )
        assert_locked(client.post(f"/api/v1/lessons/{lesson.pk}/complete/"), available_at)
    assert not LessonProgress.objects.exclude(lesson=lessons["l1"]).exists()
    # Nothing else the student reads carries the locked content either.
    for url in (
        f"/api/v1/courses/{course.pk}/",
        f"/api/v1/courses/{course.pk}/outline/",
        "/api/v1/lessons/",
        "/api/v1/content-items/",
        f"/api/v1/courses/{course.pk}/progress/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.content.decode() and ITEM_SECRET not in (
            response.content.decode()
        )


def test_another_student_gets_404_not_the_lock(auth_client, other_student, learner, path):
    _, lessons = path

    response = auth_client(other_student).get(f"/api/v1/lessons/{lessons['l2'].pk}/")

    assert response.status_code == 404


def test_anonymous_reads_the_preview_never_locked(api_client, learner, path):
    _, lessons = path

    response = api_client.get(f"/api/v1/lessons/{lessons['preview'].pk}/")

    assert response.status_code == 200
    assert (response.json()["locked"], response.json()["content"]) == (False, "Open.")
    assert api_client.get(f"/api/v1/lessons/{lessons['l2'].pk}/").status_code == 404


def test_a_locked_lesson_cannot_be_changed_by_a_student(auth_client, learner, path):
    _, lessons = path

    response = auth_client(learner).patch(f"/api/v1/lessons/{lessons['l2'].pk}/", {"title": "x"})

    assert response.status_code == 403
    lessons["l2"].refresh_from_db()
    assert lessons["l2"].title != "x"


# --- Unlocking --------------------------------------------------------------------------


def test_lessons_unlock_one_by_one_as_they_are_completed(auth_client, learner, path):
    course, lessons = path
    client = auth_client(learner)

    assert client.post(f"/api/v1/lessons/{lessons['l1'].pk}/complete/").status_code == 200
    assert lesson_rows(client, course)[lessons["l2"].pk]["locked"] is False
    assert client.get(f"/api/v1/lessons/{lessons['l2'].pk}/").json()["content"] == SECRET

    assert client.post(f"/api/v1/lessons/{lessons['l2'].pk}/complete/").status_code == 200
    row = lesson_rows(client, course)[lessons["l3"].pk]
    assert row["locked"] is True and row["available_at"] is not None  # time-locked still


def test_the_drip_opens_release_days_after_activation(auth_client, learner, path):
    course, lessons = path
    for key in ("l1", "l2"):
        LessonProgressFactory(enrollment=enrollment_of(learner, course), lesson=lessons[key])
    client = auth_client(learner)
    enrollment = enrollment_of(learner, course)
    enrollment.activated_at = timezone.now() - timedelta(days=7, minutes=1)
    enrollment.save(update_fields=["activated_at"])

    row = lesson_rows(client, course)[lessons["l3"].pk]

    assert (row["locked"], row["available_at"], row["content"]) == (False, None, SECRET)
    assert client.get(f"/api/v1/lessons/{lessons['l3'].pk}/").status_code == 200


def test_a_sequence_waits_for_a_time_locked_lesson(auth_client, learner, path):
    course, lessons = path
    last = LessonFactory(module=lessons["l3"].module, order=3, content=SECRET)
    for key in ("l1", "l2"):
        LessonProgressFactory(enrollment=enrollment_of(learner, course), lesson=lessons[key])
    Module.objects.filter(pk=lessons["l3"].module_id).update(release_days=None)

    rows = lesson_rows(auth_client(learner), course)

    assert rows[lessons["l3"].pk]["locked"] is False
    assert rows[last.pk]["locked"] is True  # L3 is not complete yet (the preview is)


def test_changes_to_the_course_hold_at_once(auth_client, instructor, learner, path):
    course, lessons = path
    teacher, client = auth_client(instructor), auth_client(learner)

    assert (
        teacher.patch(f"/api/v1/courses/{course.pk}/", {"sequential": False}, format="json").json()[
            "sequential"
        ]
        is False
    )
    assert lesson_rows(client, course)[lessons["l2"].pk]["locked"] is False

    module = lessons["l3"].module
    response = teacher.patch(f"/api/v1/modules/{module.pk}/", {"release_days": 0}, format="json")
    assert response.status_code == 200 and response.json()["release_days"] == 0
    assert lesson_rows(client, course)[lessons["l3"].pk]["locked"] is False

    teacher.patch(f"/api/v1/modules/{module.pk}/", {"release_days": 30}, format="json")
    assert lesson_rows(client, course)[lessons["l3"].pk]["locked"] is True


@pytest.mark.parametrize("value", [-1, 3651, "soon", 1.5])
def test_bad_release_days_are_a_400(auth_client, instructor, path, value):
    _, lessons = path
    module = lessons["l3"].module

    response = auth_client(instructor).patch(
        f"/api/v1/modules/{module.pk}/", {"release_days": value}, format="json"
    )

    assert response.status_code == 400
    assert "release_days" in response.json()
    module.refresh_from_db()
    assert module.release_days == 7


@pytest.mark.parametrize(
    ("role", "status", "module_status"),
    [
        ("anonymous", 401, 401),
        ("student", 403, 403),
        ("other_instructor", 403, 404),  # a module of a course whose content they cannot read
        ("admin", 200, 200),
    ],
)
def test_who_may_change_sequential_and_release_days(client_as, role, status, module_status, path):
    course, lessons = path
    client = client_as(role)

    course_answer = client.patch(f"/api/v1/courses/{course.pk}/", {"sequential": False})
    module_answer = client.patch(f"/api/v1/modules/{lessons['l3'].module_id}/", {"release_days": 1})

    assert (course_answer.status_code, module_answer.status_code) == (status, module_status)
    course.refresh_from_db()
    assert course.sequential is (status != 200)
    assert Module.objects.get(pk=lessons["l3"].module_id).release_days == (
        1 if status == 200 else 7
    )


def test_a_non_sequential_course_without_drip_is_never_locked(auth_client, student):
    course = CourseFactory()
    lesson = LessonFactory(module=ModuleFactory(course=course, order=1), order=1)
    LessonFactory(module=lesson.module, order=2)
    EnrollmentFactory(student=student, course=course)

    rows = lesson_rows(auth_client(student), course)

    assert [row["locked"] for row in rows.values()] == [False, False]
    assert not Course.objects.get(pk=course.pk).sequential


# --- Query counts ---------------------------------------------------------------------


def test_lists_compute_locks_in_constant_queries(assert_constant_queries, auth_client, student):
    course = CourseFactory(sequential=True)
    module = ModuleFactory(course=course, order=1, release_days=3)
    LessonFactory(module=module, order=1)
    enrollment = EnrollmentFactory(student=student, course=course)
    client = auth_client(student)

    def grow():
        for n in range(2, 51):
            lesson = LessonFactory(module=module, order=n)
            ContentItemFactory(lesson=lesson, order=1)
            if n % 2:
                LessonProgressFactory(enrollment=enrollment, lesson=lesson)

    def get(url, params=None):
        def call():
            response = client.get(url, {"page_size": 100, **(params or {})})
            assert response.status_code == 200, response.content

        return call

    # 1 lesson, then 50 (each list is measured on a fresh copy of the course).
    assert_constant_queries(get("/api/v1/lessons/", {"course_id": course.pk}), grow)
    other = CourseFactory(sequential=True)
    module = ModuleFactory(course=other, order=1, release_days=3)
    LessonFactory(module=module, order=1)
    enrollment = EnrollmentFactory(student=student, course=other)
    assert_constant_queries(get(f"/api/v1/courses/{other.pk}/outline/"), grow)
    third = CourseFactory(sequential=True)
    module = ModuleFactory(course=third, order=1, release_days=3)
    ContentItemFactory(lesson=LessonFactory(module=module, order=1), order=1)
    enrollment = EnrollmentFactory(student=student, course=third)
    assert_constant_queries(get("/api/v1/content-items/"), grow)
