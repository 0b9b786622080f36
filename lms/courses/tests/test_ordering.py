"""`order` stays dense and unique per parent through creates, deletes and moves."""

import threading

import pytest
from django.db import connection

from lms.courses import services
from lms.courses.models import ContentItem, Lesson, Module

from .factories import ContentItemFactory, CourseFactory, LessonFactory, ModuleFactory


def titles(queryset):
    return list(queryset.order_by("order").values_list("title", "order"))


@pytest.fixture
def three_lessons(db, instructor):
    module = ModuleFactory(course=CourseFactory(instructor=instructor), order=1)
    for n, title in enumerate("ABC", start=1):
        LessonFactory(module=module, order=n, title=title)
    return module


@pytest.mark.django_db
def test_create_appends_or_inserts_and_shifts(auth_client, instructor, three_lessons):
    client = auth_client(instructor)
    assert (
        client.post("/api/v1/lessons/", {"module": three_lessons.pk, "title": "D"}).json()["order"]
        == 4
    )
    response = client.post(
        "/api/v1/lessons/", {"module": three_lessons.pk, "title": "X", "order": 2}
    )
    assert response.status_code == 201
    assert titles(three_lessons.lessons) == [("A", 1), ("X", 2), ("B", 3), ("C", 4), ("D", 5)]


@pytest.mark.django_db
@pytest.mark.parametrize("order", [0, 5, 99])
def test_create_at_an_impossible_position_is_a_400(auth_client, instructor, three_lessons, order):
    response = auth_client(instructor).post(
        "/api/v1/lessons/", {"module": three_lessons.pk, "title": "X", "order": order}
    )
    assert response.status_code == 400
    assert "order" in response.json()
    assert titles(three_lessons.lessons) == [("A", 1), ("B", 2), ("C", 3)]


@pytest.mark.django_db
def test_delete_closes_the_gap(auth_client, instructor, three_lessons):
    first = three_lessons.lessons.get(title="A")
    assert auth_client(instructor).delete(f"/api/v1/lessons/{first.pk}/").status_code == 204
    assert titles(three_lessons.lessons) == [("B", 1), ("C", 2)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("title", "order", "expected"),
    [
        ("A", 3, "BCA"),
        ("C", 1, "CAB"),
        ("B", 3, "ACB"),
        ("B", 1, "BAC"),
        ("B", 2, "ABC"),
    ],
)
def test_move_reorders(auth_client, instructor, three_lessons, title, order, expected):
    lesson = three_lessons.lessons.get(title=title)
    response = auth_client(instructor).post(f"/api/v1/lessons/{lesson.pk}/move/", {"order": order})
    assert response.status_code == 200
    assert response.json()["order"] == order
    assert titles(three_lessons.lessons) == [(t, n) for n, t in enumerate(expected, start=1)]


@pytest.mark.django_db
@pytest.mark.parametrize("order", [0, 4, "x"])
def test_move_out_of_range_is_a_400(auth_client, instructor, three_lessons, order):
    lesson = three_lessons.lessons.get(title="A")
    response = auth_client(instructor).post(f"/api/v1/lessons/{lesson.pk}/move/", {"order": order})
    assert response.status_code == 400
    assert titles(three_lessons.lessons) == [("A", 1), ("B", 2), ("C", 3)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "code"),
    [("enrolled_student", 403), ("other_instructor", 404), ("instructor", 200), ("admin", 200)],
)
def test_moving_modules_and_items_is_for_the_instructor_and_admins(
    client_as, course, module, item, role, code, enrolled_student
):
    ModuleFactory(course=course, order=2, title="Second")
    ContentItemFactory(lesson=item.lesson, order=2)
    client = client_as(role)
    assert client.post(f"/api/v1/modules/{module.pk}/move/", {"order": 2}).status_code == code
    assert client.post(f"/api/v1/content-items/{item.pk}/move/", {"order": 2}).status_code == code
    module.refresh_from_db()
    item.refresh_from_db()
    assert (module.order, item.order) == ((2, 2) if code == 200 else (1, 1))


@pytest.mark.django_db
def test_modules_and_items_stay_dense_after_deletes(auth_client, instructor, course):
    module = course.modules.get()
    second = services.module_create(course=course, title="Second")
    services.module_create(course=course, title="First!", order=1)
    assert titles(course.modules) == [("First!", 1), (module.title, 2), ("Second", 3)]
    services.module_delete(module=module)
    assert titles(course.modules) == [("First!", 1), ("Second", 2)]
    lesson = LessonFactory(module=second, order=1)
    items = [
        services.content_item_create(lesson=lesson, kind="text", title=t, text="x") for t in "PQR"
    ]
    services.content_item_delete(item=items[1])
    assert titles(ContentItem.objects.filter(lesson=lesson)) == [("P", 1), ("R", 2)]


@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_in_one_module_end_dense_and_unique(requires_postgres, instructor):
    # Given a module with one lesson
    module = ModuleFactory(course=CourseFactory(instructor=instructor), order=1)
    LessonFactory(module=module, order=1, title="first")
    barrier = threading.Barrier(6)
    errors = []

    def create(n):
        try:
            barrier.wait()
            services.lesson_create(module=Module.objects.get(pk=module.pk), title=f"t{n}")
            services.content_item_create(
                lesson=Lesson.objects.get(module=module, order=1), kind="text", title="i", text="x"
            )
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    # When six requests append at the same time
    threads = [threading.Thread(target=create, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Then none failed and the orders are 1..7 with no gap or duplicate
    assert errors == []
    orders = sorted(Lesson.objects.filter(module=module).values_list("order", flat=True))
    assert orders == list(range(1, 8))
    item_orders = sorted(ContentItem.objects.values_list("order", flat=True))
    assert item_orders == list(range(1, 7))


@pytest.mark.django_db(transaction=True)
def test_concurrent_moves_and_inserts_keep_order_dense(requires_postgres, instructor):
    module = ModuleFactory(course=CourseFactory(instructor=instructor), order=1)
    lessons = [LessonFactory(module=module, order=n) for n in range(1, 6)]
    barrier = threading.Barrier(4)
    errors = []

    def work(n):
        try:
            barrier.wait()
            if n % 2:
                services.lesson_move(lesson=lessons[n], order=1)
            else:
                services.lesson_create(module=module, title=f"new{n}", order=2)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    orders = sorted(Lesson.objects.filter(module=module).values_list("order", flat=True))
    assert orders == list(range(1, 8))
