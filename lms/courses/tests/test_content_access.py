"""Who reads modules, lessons and content items: enrolled, instructor, admin; previews for all."""

import pytest

from .factories import ContentItemFactory, CourseFactory, LessonFactory, ModuleFactory

pytestmark = pytest.mark.django_db

READERS = ["enrolled_student", "completed_student", "instructor", "admin"]
OUTSIDERS = ["anonymous", "other_student", "cancelled_student", "other_instructor"]
ALL_ROLES = READERS + OUTSIDERS


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def elsewhere(db):
    """Content of a course nobody in these tests teaches or is enrolled in."""
    lesson = LessonFactory(module=ModuleFactory(course=CourseFactory()), order=1)
    return ContentItemFactory(lesson=lesson, order=1)


@pytest.mark.parametrize("role", READERS)
def test_readers_read_everything_in_the_course(
    client_as,
    course,
    module,
    lesson,
    preview_lesson,
    item,
    role,
    enrolled_student,
    completed_student,
):
    client = client_as(role)
    assert ids(client.get("/api/v1/modules/", {"course_id": course.pk})) == {module.pk}
    assert ids(client.get("/api/v1/lessons/", {"course_id": course.pk})) == {
        lesson.pk,
        preview_lesson.pk,
    }
    assert ids(client.get("/api/v1/lessons/", {"module_id": module.pk})) == {
        lesson.pk,
        preview_lesson.pk,
    }
    assert ids(client.get("/api/v1/content-items/", {"lesson_id": lesson.pk})) == {item.pk}
    body = client.get(f"/api/v1/lessons/{lesson.pk}/").json()
    assert body["content"] == "Lesson body."
    assert body["course"] == course.pk
    assert client.get(f"/api/v1/modules/{module.pk}/").status_code == 200
    assert client.get(f"/api/v1/content-items/{item.pk}/").status_code == 200


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_get_403_on_filtered_lists_and_404_on_objects(
    client_as, course, module, lesson, item, role, cancelled_student
):
    client = client_as(role)
    denied = 401 if role == "anonymous" else 403
    assert client.get("/api/v1/modules/", {"course_id": course.pk}).status_code == denied
    assert client.get("/api/v1/lessons/", {"course_id": course.pk}).status_code == denied
    assert client.get("/api/v1/lessons/", {"module_id": module.pk}).status_code == denied
    assert client.get("/api/v1/content-items/", {"lesson_id": lesson.pk}).status_code == denied
    assert client.get(f"/api/v1/modules/{module.pk}/").status_code == 404
    assert client.get(f"/api/v1/lessons/{lesson.pk}/").status_code == 404
    assert client.get(f"/api/v1/content-items/{item.pk}/").status_code == 404


@pytest.mark.parametrize("role", ALL_ROLES)
def test_a_preview_lesson_and_its_items_are_readable_by_anyone(
    client_as, preview_lesson, role, enrolled_student, completed_student, cancelled_student
):
    client = client_as(role)
    preview_item = preview_lesson.content_items.get()
    assert client.get(f"/api/v1/lessons/{preview_lesson.pk}/").status_code == 200
    assert ids(client.get("/api/v1/content-items/", {"lesson_id": preview_lesson.pk})) == {
        preview_item.pk
    }
    assert client.get(f"/api/v1/content-items/{preview_item.pk}/").status_code == 200


@pytest.mark.parametrize("role", ALL_ROLES)
def test_unfiltered_lists_show_only_what_the_caller_reads(
    client_as,
    course,
    module,
    lesson,
    preview_lesson,
    item,
    elsewhere,
    role,
    enrolled_student,
    completed_student,
    cancelled_student,
):
    # Given content in the course and in a course nobody here may read (except admins)
    client = client_as(role)
    preview_item = preview_lesson.content_items.get()
    modules = ids(client.get("/api/v1/modules/"))
    lessons = ids(client.get("/api/v1/lessons/"))
    items = ids(client.get("/api/v1/content-items/"))
    foreign_lesson = elsewhere.lesson
    if role == "admin":
        assert modules == {module.pk, foreign_lesson.module_id}
        assert lessons == {lesson.pk, preview_lesson.pk, foreign_lesson.pk}
        assert items == {item.pk, preview_item.pk, elsewhere.pk}
    elif role in READERS:
        assert modules == {module.pk}
        assert lessons == {lesson.pk, preview_lesson.pk}
        assert items == {item.pk, preview_item.pk}
    else:
        assert modules == set()
        assert lessons == {preview_lesson.pk}
        assert items == {preview_item.pk}


def test_preview_lessons_of_a_draft_stay_hidden(client_as, draft, other_instructor, student):
    preview = draft.modules.get().lessons.get()
    for role in ("anonymous", "student", "other_instructor"):
        assert client_as(role).get(f"/api/v1/lessons/{preview.pk}/").status_code == 404
    assert client_as("instructor").get(f"/api/v1/lessons/{preview.pk}/").status_code == 200


def test_the_instructor_reads_their_draft_content(client_as, draft):
    assert ids(client_as("instructor").get("/api/v1/modules/", {"course_id": draft.pk}))


@pytest.mark.parametrize("param", ["course_id", "module_id"])
def test_lists_filtered_by_unknown_ids_say_403_not_500(client_as, student, param):
    assert client_as("student").get("/api/v1/lessons/", {param: 999999}).status_code == 403


@pytest.mark.parametrize(
    ("path", "param"),
    [("modules", "course_id"), ("lessons", "module_id"), ("content-items", "lesson_id")],
)
@pytest.mark.parametrize("value", ["abc", "-1", "1.5"])
def test_malformed_filters_are_a_400(client_as, admin, path, param, value):
    response = client_as("admin").get(f"/api/v1/{path}/", {param: value})
    assert response.status_code == 400
    assert param in response.json()


def test_admin_filtering_by_an_unknown_course_gets_an_empty_list(client_as, admin):
    assert ids(client_as("admin").get("/api/v1/modules/", {"course_id": 999999})) == set()


def test_content_access_ends_when_the_enrollment_is_cancelled(
    client_as, course, lesson, enrolled_student
):
    client = client_as("enrolled_student")
    assert client.get(f"/api/v1/lessons/{lesson.pk}/").status_code == 200
    enrolled_student.enrollments.update(status="cancelled")
    assert client.get(f"/api/v1/lessons/{lesson.pk}/").status_code == 404


def test_outline_is_public_for_published_courses_and_has_no_lesson_content(
    client_as, course, draft, other_instructor
):
    # When anyone asks for the outline of the published course
    response = client_as("anonymous").get(f"/api/v1/courses/{course.pk}/outline/")
    # Then it lists modules and lesson titles, without content
    assert response.status_code == 200
    [module] = response.json()["modules"]
    assert [lesson["title"] for lesson in module["lessons"]] == ["Closed lesson", "Preview lesson"]
    assert set(module["lessons"][0]) == {
        "id",
        "title",
        "order",
        "is_preview",
        "duration_minutes",
        "locked",
        "available_at",
    }
    assert "Lesson body." not in response.content.decode()
    # And a draft's outline is for its instructor and admins only
    assert client_as("anonymous").get(f"/api/v1/courses/{draft.pk}/outline/").status_code == 404
    other = client_as("other_instructor").get(f"/api/v1/courses/{draft.pk}/outline/")
    assert other.status_code == 404
    assert client_as("instructor").get(f"/api/v1/courses/{draft.pk}/outline/").status_code == 200
