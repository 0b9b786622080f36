"""The demo catalog seeds idempotently; the admin screens render."""

import io

import pytest

from lms.courses import demo
from lms.courses.models import ContentItem, Course, Lesson, Module

from .factories import ContentItemFactory, CourseFactory, LessonFactory, ModuleFactory

pytestmark = pytest.mark.django_db


def test_demo_seed_is_complete_and_idempotent(api_client):
    out = io.StringIO()
    demo.seed(out)
    counts = (
        Course.objects.count(),
        Module.objects.count(),
        Lesson.objects.count(),
        ContentItem.objects.count(),
    )
    demo.seed(out)
    assert counts == (
        Course.objects.count(),
        Module.objects.count(),
        Lesson.objects.count(),
        ContentItem.objects.count(),
    )
    assert "python-fundamentals" in out.getvalue()
    free = Course.objects.get(slug="python-fundamentals")
    paid = Course.objects.get(slug="django-rest-apis")
    draft = Course.objects.get(slug="data-science-draft")
    assert free.is_free and free.is_published and free.instructor.email == "ada@example.com"
    assert (str(paid.price), paid.currency, paid.capacity) == ("49.00", "USD", 30)
    assert not draft.is_published and draft.instructor.email == "alan@example.com"
    for course in (free, paid, draft):
        assert 2 <= course.modules.count() <= 3
        assert Lesson.objects.filter(module__course=course, is_preview=True).exists()
    assert set(ContentItem.objects.values_list("kind", flat=True)) == set(ContentItem.Kind.values)
    for item in ContentItem.objects.filter(kind__in=["pdf", "file"]):
        with item.file.open("rb") as handle:
            head = handle.read(5)
        assert (head == b"%PDF-") is (item.kind == "pdf")
    # and the public catalog shows the two published ones
    slugs = {row["slug"] for row in api_client.get("/api/v1/courses/").json()["results"]}
    assert slugs == {"python-fundamentals", "django-rest-apis", "git-step-by-step"}


def test_admin_pages_render(client, admin):
    course = CourseFactory()
    module = ModuleFactory(course=course)
    lesson = LessonFactory(module=module)
    ContentItemFactory(lesson=lesson)
    client.force_login(admin)
    for url in (
        "/admin/courses/course/",
        "/admin/courses/course/?is_published__exact=1",
        f"/admin/courses/course/?q={course.title}",
        f"/admin/courses/course/{course.pk}/change/",
        "/admin/courses/module/",
        f"/admin/courses/module/{module.pk}/change/",
        "/admin/courses/lesson/",
        f"/admin/courses/lesson/{lesson.pk}/change/",
    ):
        assert client.get(url).status_code == 200, url
