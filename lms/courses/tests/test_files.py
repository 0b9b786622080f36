"""Uploads: checked by their bytes, size-limited, downloadable only by readers."""

import time
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lms.courses.models import ContentItem

from .conftest import PDF_BYTES, PNG_BYTES

pytestmark = pytest.mark.django_db
ITEMS = "/api/v1/content-items/"


def upload(client, lesson, *, kind="pdf", name="notes.pdf", data=PDF_BYTES, **extra):
    return client.post(
        ITEMS,
        {
            "lesson": lesson.pk,
            "kind": kind,
            "title": "Notes",
            "file": SimpleUploadedFile(name, data, content_type="application/pdf"),
            **extra,
        },
        format="multipart",
    )


def fetch(client, url):
    """GET a URL the API returned (absolute) through the test client."""
    parts = urlsplit(url)
    return client.get(parts.path + (f"?{parts.query}" if parts.query else ""))


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_instructor_uploads_a_pdf_and_readers_download_it(
    client_as, lesson, enrolled_student, other_student, api_client
):
    # Given the instructor uploads a PDF to a closed lesson
    response = upload(client_as("instructor"), lesson)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["file_name"] == "notes.pdf"
    item = ContentItem.objects.get(pk=created["id"])
    # Then the stored name is not guessable from the course or lesson
    assert item.file.name.startswith("courses/content/")
    assert len(item.file.name.split("/")[2]) == 32
    # And an enrolled student downloads it with their Bearer header
    download = f"{ITEMS}{item.pk}/download/"
    response = client_as("enrolled_student").get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert body_of(response) == PDF_BYTES
    # And with the signed URL the API gave them, without any header (an <a href>)
    url = client_as("enrolled_student").get(f"{ITEMS}{item.pk}/").json()["file"]
    assert "token=" in url
    assert body_of(fetch(api_client, url)) == PDF_BYTES
    # While outsiders get 404, with or without a header
    assert client_as("other_student").get(download).status_code == 404
    assert api_client.get(download).status_code == 404
    assert client_as("other_instructor").get(download).status_code == 404


def test_a_signed_link_is_bound_to_its_reader_and_expires(
    client_as, lesson, enrolled_student, api_client, settings
):
    item_id = upload(client_as("instructor"), lesson).json()["id"]
    url = client_as("enrolled_student").get(f"{ITEMS}{item_id}/").json()["file"]
    # A forged or altered token is refused
    assert fetch(api_client, url + "x").status_code == 403
    assert fetch(api_client, url.replace(f"/{item_id}/", f"/{item_id + 1}/")).status_code == 403
    # A reader who loses access loses the link too
    enrolled_student.enrollments.update(status="cancelled")
    assert fetch(api_client, url).status_code == 404
    enrolled_student.enrollments.update(status="active")
    assert fetch(api_client, url).status_code == 200
    # And the link expires
    settings.COURSES_DOWNLOAD_LINK_SECONDS = 1
    time.sleep(1.1)
    assert fetch(api_client, url).status_code == 403


def test_preview_files_download_for_anyone(client_as, preview_lesson, api_client):
    item_id = upload(client_as("instructor"), preview_lesson).json()["id"]
    url = api_client.get(f"{ITEMS}{item_id}/").json()["file"]
    assert body_of(fetch(api_client, url)) == PDF_BYTES
    assert api_client.get(f"{ITEMS}{item_id}/download/").status_code == 200


def test_replacing_a_file_invalidates_old_links(client_as, lesson, enrolled_student, api_client):
    item_id = upload(client_as("instructor"), lesson).json()["id"]
    old_url = client_as("enrolled_student").get(f"{ITEMS}{item_id}/").json()["file"]
    response = client_as("instructor").patch(
        f"{ITEMS}{item_id}/",
        {"file": SimpleUploadedFile("v2.pdf", PDF_BYTES + b"v2")},
        format="multipart",
    )
    assert response.status_code == 200
    assert fetch(api_client, old_url).status_code == 403
    new_url = client_as("enrolled_student").get(f"{ITEMS}{item_id}/").json()["file"]
    assert body_of(fetch(api_client, new_url)).endswith(b"v2")


@pytest.mark.parametrize(
    ("kind", "name", "data", "accepted"),
    [
        ("pdf", "a.pdf", PDF_BYTES, True),
        ("pdf", "a.pdf", b"<html>not a pdf</html>", False),
        ("pdf", "a.pdf", PNG_BYTES, False),
        ("file", "data.csv", b"a,b\n1,2\n", True),
        ("file", "deck.pdf", PDF_BYTES, True),
        ("file", "setup.exe", b"MZ\x90\x00" + b"\x00" * 60, False),
        ("file", "tool", b"\x7fELF\x02\x01", False),
        ("file", "run.sh", b"#!/bin/sh\nrm -rf /\n", False),
        ("file", "page.txt", b"\n  <!DOCTYPE html><html><script>x</script>", False),
        ("file", "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', False),
        ("file", "empty.txt", b"", False),
    ],
)
def test_file_types_are_checked_from_the_bytes(client_as, lesson, kind, name, data, accepted):
    response = upload(client_as("instructor"), lesson, kind=kind, name=name, data=data)
    assert response.status_code == (201 if accepted else 400), response.content
    if not accepted:
        assert "file" in response.json()


def test_files_over_the_limit_are_a_400_with_the_limit_in_the_message(client_as, lesson, settings):
    settings.MAX_UPLOAD_MB = 1
    big = PDF_BYTES + b"0" * (1024 * 1024)
    response = upload(client_as("instructor"), lesson, data=big)
    assert response.status_code == 400
    assert "limit is 1 MB" in response.json()["file"][0]
    assert lesson.content_items.count() == 1


def test_outsiders_never_see_a_file_url(client_as, lesson, other_student):
    item_id = upload(client_as("instructor"), lesson).json()["id"]
    assert client_as("other_student").get(f"{ITEMS}{item_id}/").status_code == 404
    listed = client_as("other_student").get(ITEMS).json()["results"]
    assert all(row["id"] != item_id for row in listed)


def test_deleting_an_item_removes_its_file(client_as, lesson, django_capture_on_commit_callbacks):
    item_id = upload(client_as("instructor"), lesson).json()["id"]
    item = ContentItem.objects.get(pk=item_id)
    storage, name = item.file.storage, item.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        assert client_as("instructor").delete(f"{ITEMS}{item_id}/").status_code == 204
    assert not storage.exists(name)


# --- Thumbnails ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "accepted"),
    [
        (PNG_BYTES, True),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 16, True),
        (b"GIF89a" + b"\x00" * 16, True),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", True),
        (b'<svg onload="alert(1)"/>', False),
        (PDF_BYTES, False),
    ],
)
def test_thumbnails_must_be_images(auth_client, instructor, data, accepted):
    response = auth_client(instructor).post(
        "/api/v1/courses/",
        {"title": "Pictured", "thumbnail": SimpleUploadedFile("t.png", data)},
        format="multipart",
    )
    assert response.status_code == (201 if accepted else 400)
    if not accepted:
        assert "thumbnail" in response.json()


def test_thumbnail_url_works_for_those_who_see_the_course(
    auth_client, instructor, other_instructor, api_client
):
    created = (
        auth_client(instructor)
        .post(
            "/api/v1/courses/",
            {"title": "Draft pic", "thumbnail": SimpleUploadedFile("t.png", PNG_BYTES)},
            format="multipart",
        )
        .json()
    )
    url = created["thumbnail"]
    response = fetch(api_client, url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert body_of(response) == PNG_BYTES
    # The course is a draft: others do not see it, nor its thumbnail
    thumb = f"/api/v1/courses/{created['id']}/thumbnail/"
    assert api_client.get(thumb).status_code == 404
    assert auth_client(other_instructor).get(thumb).status_code == 404
    # Once published, anyone may see it
    auth_client(instructor).patch(f"/api/v1/courses/{created['id']}/", {"is_published": True})
    assert api_client.get(thumb).status_code == 200
    # And null removes it
    body = (
        auth_client(instructor)
        .patch(f"/api/v1/courses/{created['id']}/", {"thumbnail": None}, format="json")
        .json()
    )
    assert body["thumbnail"] is None
    assert api_client.get(thumb).status_code == 404
