"""The anonymous catalog, course and outline from the versioned cache, with ETag and 304."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.courses import services
from lms.courses.cache import entry_seconds
from lms.courses.tests.factories import (
    ContentItemFactory,
    CourseFactory,
    LessonFactory,
    ModuleFactory,
)
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.quizzes.tests.factories import QuizFactory

pytestmark = pytest.mark.django_db

CATALOG = "/api/v1/courses/"


@pytest.fixture
def course():
    course = CourseFactory(is_published=True, title="Before")
    LessonFactory(module=ModuleFactory(course=course, order=1), order=1, title="First")
    return course


def paths(course) -> list[str]:
    return [CATALOG, f"{CATALOG}{course.pk}/", f"{CATALOG}{course.pk}/outline/"]


def test_a_repeated_anonymous_read_runs_no_query(api_client, course):
    for path in paths(course):
        first = api_client.get(path)
        with CaptureQueriesContext(connection) as queries:
            again = api_client.get(path)

        assert again.status_code == 200
        assert len(queries) == 0, path
        assert again.content == first.content
        assert again["ETag"] == first["ETag"]
        assert "Authorization" in again["Vary"]


def test_a_matching_etag_or_date_answers_304_without_a_body(api_client, course):
    for path in paths(course):
        first = api_client.get(path)

        by_etag = api_client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
        by_date = api_client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        other = api_client.get(path, HTTP_IF_NONE_MATCH='"something-else"')

        assert by_etag.status_code == by_date.status_code == 304
        assert by_etag.content == b""
        assert other.status_code == 200


def rename(user) -> None:
    user.first_name = "Renamed"
    user.save(update_fields=["first_name"])


def test_any_change_shown_replaces_every_cached_answer(api_client, course):
    module = course.modules.get()
    lesson = module.lessons.get()
    changes = [  # (change, whether some answer shows it)
        (lambda: services.course_update(course=course, data={"title": "After"}), True),
        (lambda: LessonFactory(module=module, order=2, title="Second"), True),
        (lambda: services.lesson_move(lesson=lesson, order=2), True),
        (lambda: rename(course.instructor), True),
        (lambda: EnrollmentFactory(course=course), True),
        (lambda: QuizFactory(course=course), False),
        (lambda: ContentItemFactory(lesson=lesson, order=1), False),
    ]
    for change, shown in changes:
        before = [api_client.get(path) for path in paths(course)]
        change()
        for path, old in zip(paths(course), before, strict=True):
            with CaptureQueriesContext(connection) as queries:
                api_client.get(path, HTTP_IF_NONE_MATCH=old["ETag"])
            assert len(queries) > 0, f"{path} still cached after a change"
        after = [api_client.get(path).content for path in paths(course)]
        assert shown == any(a != b.content for a, b in zip(after, before, strict=True))


def test_a_login_does_not_replace_the_cached_catalog(api_client, course):
    api_client.get(CATALOG)
    course.instructor.save(update_fields=["last_login"])

    with CaptureQueriesContext(connection) as queries:
        api_client.get(CATALOG)

    assert len(queries) == 0


def test_signed_in_callers_are_answered_fresh_and_never_from_the_cache(
    api_client, auth_client, course
):
    draft = CourseFactory(instructor=course.instructor, is_published=False)
    api_client.get(CATALOG)

    mine = auth_client(course.instructor).get(CATALOG)

    assert draft.pk in [row["id"] for row in mine.json()["results"]]
    assert "ETag" not in mine
    assert draft.pk not in [row["id"] for row in api_client.get(CATALOG).json()["results"]]


def test_free_text_searches_are_answered_without_the_cache(api_client, course):
    api_client.get(f"{CATALOG}?search=Before")

    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(f"{CATALOG}?search=Before")

    assert response.status_code == 200
    assert len(queries) > 0
    assert "ETag" not in response


def test_a_hidden_course_is_not_cached_for_anyone(api_client, course):
    draft = CourseFactory(is_published=False)

    assert api_client.get(f"{CATALOG}{draft.pk}/").status_code == 404
    assert api_client.get(f"{CATALOG}{draft.pk}/outline/").status_code == 404


def test_cached_file_links_keep_half_their_lifetime(settings):
    settings.COURSES_DOWNLOAD_LINK_SECONDS = 300

    assert entry_seconds() == 150


def test_each_host_gets_its_own_entry_for_its_absolute_links(api_client, course, settings):
    settings.ALLOWED_HOSTS = ["testserver", "api.example.com"]
    api_client.get(CATALOG)

    with CaptureQueriesContext(connection) as queries:
        other = api_client.get(CATALOG, HTTP_HOST="api.example.com")

    assert other.status_code == 200
    assert len(queries) > 0
