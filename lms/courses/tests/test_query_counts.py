"""Every list and detail endpoint runs the same number of queries for 1 row or 30."""

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile

from lms.enrollments.tests.factories import EnrollmentFactory

from .factories import ContentItemFactory, CourseFactory, LessonFactory, ModuleFactory

pytestmark = pytest.mark.django_db


def ok(client, url, params=None):
    def call():
        response = client.get(url, {"page_size": 100, **(params or {})})
        assert response.status_code == 200, response.content
        return response

    return call


def built(call):
    """`call` with the anonymous catalog cache empty: the queries of building the answer."""

    def uncached():
        cache.clear()
        return call()

    return uncached


def test_course_list(assert_constant_queries, api_client, admin, auth_client):
    def grow():
        for _ in range(30):
            course = CourseFactory()
            EnrollmentFactory(course=course)
            LessonFactory(module=ModuleFactory(course=course))
            course.thumbnail.save("t.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)

    CourseFactory()
    assert_constant_queries(built(ok(api_client, "/api/v1/courses/")), grow)
    assert_constant_queries(ok(auth_client(admin), "/api/v1/courses/", {"search": "Course"}), grow)


def test_course_detail_and_outline(assert_constant_queries, api_client, course):
    def grow():
        start = course.modules.count() + 1
        for n in range(start, start + 30):
            module = ModuleFactory(course=course, order=n)
            LessonFactory(module=module, order=1)
            EnrollmentFactory(course=course)

    assert_constant_queries(built(ok(api_client, f"/api/v1/courses/{course.pk}/")), grow)
    assert_constant_queries(built(ok(api_client, f"/api/v1/courses/{course.pk}/outline/")), grow)


def test_module_list(assert_constant_queries, auth_client, enrolled_student, course):
    client = auth_client(enrolled_student)

    def grow():
        start = course.modules.count() + 1
        for n in range(start, start + 30):
            ModuleFactory(course=course, order=n)

    assert_constant_queries(ok(client, "/api/v1/modules/", {"course_id": course.pk}), grow)
    assert_constant_queries(ok(client, "/api/v1/modules/"), grow)


def test_lesson_list(assert_constant_queries, auth_client, enrolled_student, module):
    client = auth_client(enrolled_student)

    def grow():
        start = module.lessons.count() + 1
        for n in range(start, start + 30):
            LessonFactory(module=module, order=n)

    assert_constant_queries(ok(client, "/api/v1/lessons/", {"module_id": module.pk}), grow)
    assert_constant_queries(ok(client, "/api/v1/lessons/"), grow)


def test_content_item_list_with_files(
    assert_constant_queries, auth_client, enrolled_student, lesson
):
    client = auth_client(enrolled_student)

    def grow():
        start = lesson.content_items.count() + 1
        for n in range(start, start + 30):
            item = ContentItemFactory(lesson=lesson, order=n, kind="pdf", text="")
            item.file.save("a.pdf", ContentFile(b"%PDF-1.4"), save=True)

    assert_constant_queries(ok(client, "/api/v1/content-items/", {"lesson_id": lesson.pk}), grow)
    assert_constant_queries(ok(client, "/api/v1/content-items/"), grow)


def test_detail_endpoints(
    assert_constant_queries, auth_client, enrolled_student, module, lesson, item
):
    client = auth_client(enrolled_student)

    def grow():
        items, lessons = lesson.content_items.count(), module.lessons.count()
        for n in range(1, 31):
            ContentItemFactory(lesson=lesson, order=items + n)
            LessonFactory(module=module, order=lessons + n)

    for url in (
        f"/api/v1/modules/{module.pk}/",
        f"/api/v1/lessons/{lesson.pk}/",
        f"/api/v1/content-items/{item.pk}/",
    ):
        assert_constant_queries(ok(client, url), grow)
