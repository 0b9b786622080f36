"""The Django admin writes courses and their content through the services: `order` stays dense."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lms.courses.models import ContentItem, Course, Lesson, Module

from .conftest import PDF_BYTES
from .factories import ContentItemFactory, CourseFactory, LessonFactory, ModuleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def course_with_modules():
    course = CourseFactory(title="Shell", slug="shell")
    for order, title in enumerate(["One", "Two", "Three"], start=1):
        ModuleFactory(course=course, order=order, title=title)
    return course


def titles_in_order(rows) -> list[tuple[int, str]]:
    return [(row.order, row.title) for row in rows.order_by("order")]


def inline(prefix: str, rows: list[dict], initial: int) -> dict:
    """The POST data of an inline formset: `rows` are the forms, the first `initial` existing."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def course_form(course: Course, modules: list[dict], initial: int) -> dict:
    return {
        "title": course.title,
        "slug": course.slug,
        "description": course.description,
        "instructor": course.instructor_id,
        "price": str(course.price),
        "currency": course.currency,
        "is_published": "on" if course.is_published else "",
        "capacity": "",
        **inline("modules", modules, initial),
    }


def module_rows(course: Course, **per_title) -> list[dict]:
    """The existing modules as inline rows, with `per_title` changes (e.g. `Two={...}`)."""
    return [
        {"id": m.pk, "course": course.pk, "title": m.title, "description": m.description}
        | per_title.get(m.title, {})
        for m in course.modules.order_by("order")
    ]


def save_course(admin_client, course, rows, initial):
    response = admin_client.post(
        f"/admin/courses/course/{course.pk}/change/", course_form(course, rows, initial)
    )
    assert response.status_code == 302, response.content.decode()[-3000:]


def test_a_module_added_inline_goes_last_without_typing_an_order(admin_client, course_with_modules):
    rows = module_rows(course_with_modules)
    new = {"course": course_with_modules.pk, "title": "Four", "description": ""}

    save_course(admin_client, course_with_modules, [*rows, new], initial=3)

    assert titles_in_order(course_with_modules.modules) == [
        (1, "One"),
        (2, "Two"),
        (3, "Three"),
        (4, "Four"),
    ]


def test_deleting_a_module_inline_moves_the_later_ones_up(admin_client, course_with_modules):
    rows = module_rows(course_with_modules, One={"DELETE": "on"})

    save_course(admin_client, course_with_modules, rows, initial=3)

    assert titles_in_order(course_with_modules.modules) == [(1, "Two"), (2, "Three")]


def test_moving_a_module_inline_reorders_its_siblings(admin_client, course_with_modules):
    rows = module_rows(course_with_modules, Three={"move_to": "1", "title": "Three!"})

    save_course(admin_client, course_with_modules, rows, initial=3)

    assert titles_in_order(course_with_modules.modules) == [
        (1, "Three!"),
        (2, "One"),
        (3, "Two"),
    ]


def test_order_cannot_be_typed_and_a_move_out_of_range_is_a_form_error(
    admin_client, course_with_modules
):
    rows = module_rows(course_with_modules, One={"order": "3"})
    save_course(admin_client, course_with_modules, rows, initial=3)
    assert titles_in_order(course_with_modules.modules)[0] == (1, "One")

    rows = module_rows(course_with_modules, One={"move_to": "9"})
    response = admin_client.post(
        f"/admin/courses/course/{course_with_modules.pk}/change/",
        course_form(course_with_modules, rows, initial=3),
    )

    assert response.status_code == 200
    assert "Must be between 1 and 3." in response.content.decode()
    assert titles_in_order(course_with_modules.modules)[0] == (1, "One")


def test_the_lesson_page_moves_a_lesson_and_keeps_its_module(admin_client):
    module = ModuleFactory()
    other = ModuleFactory()
    first, second = (LessonFactory(module=module, order=n) for n in (1, 2))
    data = {
        "module": other.pk,  # read-only once created: ignored
        "title": second.title,
        "content": "",
        "duration_minutes": "5",
        "move_to": "1",
        **inline("content_items", [], initial=0),
    }

    response = admin_client.post(f"/admin/courses/lesson/{second.pk}/change/", data)

    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.module_id, second.order, second.duration_minutes) == (module.pk, 1, 5)
    assert Lesson.objects.get(pk=first.pk).order == 2


def test_the_delete_action_closes_the_gaps(admin_client):
    module = ModuleFactory()
    lessons = [LessonFactory(module=module, order=n) for n in (1, 2, 3, 4)]
    doomed = [lessons[0].pk, lessons[2].pk]

    response = admin_client.post(
        "/admin/courses/lesson/",
        {"action": "delete_selected", "_selected_action": doomed, "post": "yes"},
    )

    assert response.status_code == 302
    assert titles_in_order(module.lessons) == [(1, lessons[1].title), (2, lessons[3].title)]


def test_a_new_module_page_appends_to_its_course(admin_client, course_with_modules):
    data = {"course": course_with_modules.pk, "title": "Four", "description": ""}

    response = admin_client.post(
        "/admin/courses/module/add/", {**data, **inline("lessons", [], initial=0)}
    )

    assert response.status_code == 302
    assert Module.objects.get(title="Four").order == 4


def item_rows(lesson: Lesson, new: dict) -> dict:
    existing = [
        {"id": i.pk, "lesson": lesson.pk, "kind": i.kind, "title": i.title, "text": i.text}
        for i in lesson.content_items.order_by("order")
    ]
    return inline("content_items", [*existing, {"lesson": lesson.pk, **new}], len(existing))


def lesson_form(lesson: Lesson, new_item: dict) -> dict:
    return {
        "title": lesson.title,
        "content": lesson.content,
        "duration_minutes": str(lesson.duration_minutes),
        **item_rows(lesson, new_item),
    }


def test_content_items_follow_the_service_rules(admin_client):
    lesson = LessonFactory()
    ContentItemFactory(lesson=lesson, order=1)
    url = f"/admin/courses/lesson/{lesson.pk}/change/"

    # A text item without text: the service refuses it, the page says why, nothing is saved
    refused = admin_client.post(
        url, lesson_form(lesson, {"kind": "text", "title": "Notes"}), follow=True
    )
    assert refused.status_code == 200
    assert "A text item needs a text." in refused.content.decode()
    assert lesson.content_items.count() == 1

    # A real PDF goes last
    pdf = SimpleUploadedFile("slides.pdf", PDF_BYTES, content_type="application/pdf")
    saved = admin_client.post(url, lesson_form(lesson, {"kind": "pdf", "title": "S", "file": pdf}))
    assert saved.status_code == 302
    item = lesson.content_items.get(kind=ContentItem.Kind.PDF)
    assert item.order == 2
    assert item.file.read().startswith(b"%PDF-")


def test_deleting_a_course_in_the_admin_removes_its_files(
    admin_client, django_capture_on_commit_callbacks
):
    lesson = LessonFactory()
    item = ContentItemFactory(
        lesson=lesson,
        kind=ContentItem.Kind.PDF,
        text="",
        file=SimpleUploadedFile("slides.pdf", PDF_BYTES),
    )
    storage, name = item.file.storage, item.file.name
    course = lesson.module.course
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/courses/course/{course.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Course.objects.filter(pk=course.pk).exists()
    assert not storage.exists(name)


def test_a_course_added_in_the_admin_is_created_by_the_service(admin_client, instructor):
    for name in ("course", "module", "lesson"):
        assert admin_client.get(f"/admin/courses/{name}/add/").status_code == 200, name
    data = course_form(Course(title="Awk", slug="awk", instructor=instructor), [], initial=0)
    new_module = {"title": "Basics", "description": ""}

    response = admin_client.post(
        "/admin/courses/course/add/",
        {**data, "currency": "eur", **inline("modules", [new_module], initial=0)},
    )

    assert response.status_code == 302, response.content.decode()[-2000:]
    course = Course.objects.get(slug="awk")
    assert (course.currency, course.instructor) == ("EUR", instructor)  # the service's rule
    assert titles_in_order(course.modules) == [(1, "Basics")]
