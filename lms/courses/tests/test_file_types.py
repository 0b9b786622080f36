"""File types are decided from the whole file on every write, and served as the bytes are."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from lms.courses.models import ContentItem

from .conftest import PDF_BYTES, PNG_BYTES
from .factories import ContentItemFactory, LessonFactory
from .test_admin_writes import inline
from .test_files import ITEMS, body_of, fetch

pytestmark = pytest.mark.django_db

PDF_HEAD = b"%PDF-1.4\n1 0 obj<<>>endobj\n"
PDF_TAIL = b"\ntrailer<<>>\n%%EOF\n"
SCRIPT = "<script>alert(document.cookie)</script>"


def pdf_with(payload: bytes) -> bytes:
    return PDF_HEAD + payload + PDF_TAIL


def post_item(client, lesson, *, kind, data, name="notes.pdf", content_type="text/html"):
    """An upload whose client-declared type is whatever the attacker likes (text/html)."""
    return client.post(
        ITEMS,
        {
            "lesson": lesson.pk,
            "kind": kind,
            "title": "Notes",
            "file": SimpleUploadedFile(name, data, content_type=content_type),
        },
        format="multipart",
    )


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(pdf_with(f"<html><body>{SCRIPT}</body></html>".encode()), id="html-in-pdf"),
        pytest.param(pdf_with(b"%" * 4096 + SCRIPT.encode()), id="markup-after-2kb"),
        pytest.param(pdf_with(b"0" * (3 * 1024 * 1024) + b"<iframe src=x>"), id="after-3mb"),
        pytest.param(pdf_with(SCRIPT.encode("utf-16-le")), id="utf-16-le"),
        pytest.param(pdf_with(b"\x00" + SCRIPT.encode("utf-16-be")), id="utf-16-be-odd"),
        pytest.param(pdf_with(SCRIPT.encode("utf-32-le")), id="utf-32"),
        pytest.param(pdf_with(b"<img src=x onerror=alert(1)>"), id="img-onerror"),
        pytest.param(pdf_with(b"<a href='java\tscript:alert(1)'>"), id="javascript-url"),
    ],
)
def test_a_pdf_carrying_web_page_markup_anywhere_is_refused(client_as, lesson, data):
    response = post_item(client_as("instructor"), lesson, kind="pdf", data=data)
    assert response.status_code == 400, response.content
    assert "markup" in response.json()["file"][0]
    assert lesson.content_items.count() == 1  # only the fixture's item


def test_a_clean_pdf_declared_as_html_is_stored_and_served_as_a_pdf(
    client_as, lesson, enrolled_student
):
    response = post_item(client_as("instructor"), lesson, kind="pdf", data=PDF_BYTES)
    assert response.status_code == 201, response.content
    download = client_as("enrolled_student").get(f"{ITEMS}{response.json()['id']}/download/")
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'inline; filename="notes.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"


def test_a_file_item_is_always_an_opaque_download(client_as, lesson, enrolled_student):
    data = b"just notes\n" * 300 + b"<p>a paragraph</p>"
    response = post_item(client_as("instructor"), lesson, kind="file", data=data, name="n.txt")
    assert response.status_code == 201, response.content
    download = client_as("enrolled_student").get(f"{ITEMS}{response.json()['id']}/download/")
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"] == 'attachment; filename="n.txt"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert body_of(download) == data


def file_item(client, lesson, data: bytes, name: str) -> int:
    response = post_item(client, lesson, kind="file", data=data, name=name)
    assert response.status_code == 201, response.content
    return response.json()["id"]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"a,b\n1,2\n", id="csv"),
        pytest.param(pdf_with(b" " * 3000 + SCRIPT.encode()), id="pdf-with-late-markup"),
    ],
)
def test_changing_the_kind_to_pdf_checks_the_file_already_stored(client_as, lesson, data):
    item_id = file_item(client_as("instructor"), lesson, data, "data.csv")
    response = client_as("instructor").patch(f"{ITEMS}{item_id}/", {"kind": "pdf"}, format="json")
    assert response.status_code == 400, response.content
    assert "cannot be a pdf item" in response.json()["kind"][0]
    assert ContentItem.objects.get(pk=item_id).kind == ContentItem.Kind.FILE


def test_changing_the_kind_of_a_real_pdf_to_pdf_is_accepted(client_as, lesson, enrolled_student):
    item_id = file_item(client_as("instructor"), lesson, PDF_BYTES, "deck.pdf")
    response = client_as("instructor").patch(f"{ITEMS}{item_id}/", {"kind": "pdf"}, format="json")
    assert response.status_code == 200, response.content
    download = client_as("enrolled_student").get(f"{ITEMS}{item_id}/download/")
    assert download["Content-Type"] == "application/pdf"


def test_replacing_the_file_of_a_pdf_item_checks_the_new_bytes(client_as, lesson):
    created = post_item(client_as("instructor"), lesson, kind="pdf", data=PDF_BYTES).json()
    response = client_as("instructor").patch(
        f"{ITEMS}{created['id']}/",
        {"file": SimpleUploadedFile("v2.pdf", pdf_with(b"x" * 5000 + SCRIPT.encode()))},
        format="multipart",
    )
    assert response.status_code == 400
    item = ContentItem.objects.get(pk=created["id"])
    assert item.file.read() == PDF_BYTES  # the old file is still the item's


# --- Thumbnails ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, id="png-magic-only"),
        pytest.param(b"GIF89a" + SCRIPT.encode(), id="gif-html-polyglot"),
        pytest.param(PNG_BYTES + "<html>".encode("utf-16-le"), id="png-utf16-markup"),
    ],
)
def test_thumbnails_are_real_images_without_markup(auth_client, instructor, data):
    response = auth_client(instructor).post(
        "/api/v1/courses/",
        {"title": "Pictured", "thumbnail": SimpleUploadedFile("t.png", data)},
        format="multipart",
    )
    assert response.status_code == 400
    assert "thumbnail" in response.json()


def test_a_thumbnail_is_served_as_its_detected_type_whatever_its_name(
    auth_client, instructor, api_client
):
    created = auth_client(instructor).post(
        "/api/v1/courses/",
        {"title": "Pictured", "thumbnail": SimpleUploadedFile("t.html", PNG_BYTES)},
        format="multipart",
    )
    assert created.status_code == 201, created.content
    response = fetch(api_client, created.json()["thumbnail"])
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="t.png"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_admin_cannot_turn_a_stored_csv_into_a_pdf(client, admin):
    client.force_login(admin)
    lesson = LessonFactory()
    item = ContentItemFactory(lesson=lesson, order=1, kind=ContentItem.Kind.FILE, text="")
    item.file.save("data.csv", ContentFile(b"a,b\n1,2\n"), save=True)
    row = {"id": item.pk, "lesson": lesson.pk, "kind": "pdf", "title": item.title, "text": ""}
    response = client.post(
        f"/admin/courses/lesson/{lesson.pk}/change/",
        {
            "title": lesson.title,
            "content": lesson.content,
            "duration_minutes": str(lesson.duration_minutes),
            **inline("content_items", [row], initial=1),
        },
        follow=True,
    )
    assert "cannot be a pdf item" in response.content.decode()
    item.refresh_from_db()
    assert item.kind == ContentItem.Kind.FILE
