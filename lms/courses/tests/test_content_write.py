"""Writing content: only the course's instructor or an admin; kinds and URLs are validated."""

import pytest

from lms.courses.models import ContentItem, Lesson, Module

pytestmark = pytest.mark.django_db

WRITE_CODES = [
    ("anonymous", 401),
    ("other_student", 403),
    ("enrolled_student", 403),
    ("other_instructor", 403),
    ("instructor", 201),
    ("admin", 201),
]


@pytest.mark.parametrize(("role", "code"), WRITE_CODES)
def test_creating_modules_lessons_and_items(
    client_as, course, module, lesson, role, code, enrolled_student
):
    client = client_as(role)
    made = client.post("/api/v1/modules/", {"course": course.pk, "title": "M2"})
    assert made.status_code == code
    made = client.post("/api/v1/lessons/", {"module": module.pk, "title": "L3", "content": "x"})
    assert made.status_code == code
    made = client.post(
        "/api/v1/content-items/",
        {"lesson": lesson.pk, "kind": "text", "title": "T", "text": "# Hi <script>"},
    )
    assert made.status_code == code
    if code == 201:
        # Markdown/text comes back as stored, never rendered
        assert made.json()["text"] == "# Hi <script>"
    assert Module.objects.count() == (2 if code == 201 else 1)


def test_another_instructor_cannot_write_into_a_draft_they_cannot_see(
    auth_client, draft, other_instructor
):
    response = auth_client(other_instructor).post(
        "/api/v1/modules/", {"course": draft.pk, "title": "x"}
    )
    assert response.status_code == 400
    assert "course" in response.json()


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("anonymous", 401),
        ("other_student", 403),
        ("enrolled_student", 403),
        ("other_instructor", 404),  # cannot read the lesson, so it does not exist for them
        ("instructor", 200),
        ("admin", 200),
    ],
)
def test_editing_a_lesson(client_as, lesson, role, code, enrolled_student):
    response = client_as(role).patch(f"/api/v1/lessons/{lesson.pk}/", {"title": "New"})
    assert response.status_code == code
    lesson.refresh_from_db()
    assert (lesson.title == "New") is (code == 200)


def test_another_instructor_gets_403_on_a_preview_lesson_they_can_read(
    auth_client, preview_lesson, other_instructor
):
    client = auth_client(other_instructor)
    assert client.patch(f"/api/v1/lessons/{preview_lesson.pk}/", {"title": "x"}).status_code == 403
    assert client.delete(f"/api/v1/lessons/{preview_lesson.pk}/").status_code == 403
    assert (
        client.post(f"/api/v1/lessons/{preview_lesson.pk}/move/", {"order": 1}).status_code == 403
    )


@pytest.mark.parametrize(
    ("role", "code"),
    [("enrolled_student", 403), ("other_instructor", 404), ("instructor", 204), ("admin", 204)],
)
def test_deleting_modules_lessons_and_items(
    client_as, module, lesson, item, role, code, enrolled_student
):
    client = client_as(role)
    assert client.delete(f"/api/v1/content-items/{item.pk}/").status_code == code
    assert client.delete(f"/api/v1/lessons/{lesson.pk}/").status_code == code
    assert client.delete(f"/api/v1/modules/{module.pk}/").status_code == code
    assert Module.objects.filter(pk=module.pk).exists() is (code != 204)


def test_a_module_cannot_move_to_another_course(auth_client, instructor, module):
    from .factories import CourseFactory

    other = CourseFactory(instructor=instructor)
    response = auth_client(instructor).patch(f"/api/v1/modules/{module.pk}/", {"course": other.pk})
    assert response.status_code == 400
    assert "course" in response.json()


def test_order_changes_go_through_move(auth_client, instructor, module):
    response = auth_client(instructor).patch(f"/api/v1/modules/{module.pk}/", {"order": 5})
    assert response.status_code == 400
    assert "order" in response.json()


def test_lesson_fields(auth_client, instructor, module):
    body = (
        auth_client(instructor)
        .post(
            "/api/v1/lessons/",
            {
                "module": module.pk,
                "title": "L",
                "content": "**md**",
                "duration_minutes": 7,
                "is_preview": True,
            },
        )
        .json()
    )
    assert body["content"] == "**md**"
    assert body["course"] == module.course_id
    assert (body["order"], body["duration_minutes"], body["is_preview"]) == (3, 7, True)


# --- Kinds and URLs -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "video"}, "url"),
        ({"kind": "link", "url": ""}, "url"),
        ({"kind": "text"}, "text"),
        ({"kind": "pdf"}, "file"),
        ({"kind": "file"}, "file"),
        ({"kind": "audio"}, "kind"),
        ({"kind": "link", "url": "javascript:alert(1)"}, "url"),
        ({"kind": "link", "url": "JavaScript:alert(1)"}, "url"),
        ({"kind": "video", "url": "data:text/html;base64,PHNjcmlwdD4="}, "url"),
        ({"kind": "link", "url": "file:///etc/passwd"}, "url"),
        ({"kind": "link", "url": "ftp://example.com/x"}, "url"),
        ({"kind": "link", "url": "not a url"}, "url"),
    ],
)
def test_kind_specific_and_url_validation(auth_client, instructor, lesson, payload, field):
    response = auth_client(instructor).post(
        "/api/v1/content-items/", {"lesson": lesson.pk, "title": "T", **payload}, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert lesson.content_items.count() == 1


@pytest.mark.parametrize("url", ["https://example.com/v.mp4", "http://example.com/page?q=1"])
def test_http_and_https_urls_are_accepted(auth_client, instructor, lesson, url):
    response = auth_client(instructor).post(
        "/api/v1/content-items/", {"lesson": lesson.pk, "title": "V", "kind": "video", "url": url}
    )
    assert response.status_code == 201
    assert response.json()["url"] == url


def test_changing_kind_needs_the_new_kinds_field_and_clears_the_old(auth_client, instructor, item):
    client = auth_client(instructor)
    url = f"/api/v1/content-items/{item.pk}/"
    assert client.patch(url, {"kind": "link"}).status_code == 400
    assert client.patch(url, {"url": "javascript:x"}).status_code == 400
    body = client.patch(url, {"kind": "link", "url": "https://example.com"}).json()
    assert (body["kind"], body["url"], body["text"]) == ("link", "https://example.com", "")
    item.refresh_from_db()
    assert item.kind == ContentItem.Kind.LINK


def test_a_file_on_a_text_item_is_a_400(auth_client, instructor, lesson):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = auth_client(instructor).post(
        "/api/v1/content-items/",
        {
            "lesson": lesson.pk,
            "title": "T",
            "kind": "text",
            "text": "x",
            "file": SimpleUploadedFile("a.txt", b"hello"),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert "file" in response.json()


def test_lesson_validation(auth_client, instructor, module):
    response = auth_client(instructor).post(
        "/api/v1/lessons/", {"module": module.pk, "title": "", "duration_minutes": -1}
    )
    assert response.status_code == 400
    assert {"title", "duration_minutes"} <= set(response.json())
    assert Lesson.objects.filter(module=module).count() == 2
