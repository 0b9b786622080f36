"""The S3 path, against moto's standalone S3 server on loopback (nothing leaves the machine)."""

import boto3
import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer

from lms.courses.models import ContentItem

from .conftest import PDF_BYTES, PNG_BYTES

BUCKET = "lms-test-media"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(settings, s3_endpoint):
    """Default storage switched to S3 (as `AWS_STORAGE_BUCKET_NAME` would), bucket created."""
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **CREDENTIALS)
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "lms.courses.storage.MediaS3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 300,
                "file_overwrite": False,
                "addressing_style": "path",
            },
        },
    }
    return client


@pytest.mark.django_db
def test_upload_lands_in_the_bucket_and_only_readers_get_a_working_url(
    s3, s3_endpoint, client_as, lesson, enrolled_student, other_student
):
    # When the instructor uploads a PDF through the API
    response = client_as("instructor").post(
        "/api/v1/content-items/",
        {
            "lesson": lesson.pk,
            "kind": "pdf",
            "title": "Slides",
            "file": SimpleUploadedFile("slides.pdf", PDF_BYTES),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    item = ContentItem.objects.get(pk=response.json()["id"])
    # Then the object is in the bucket, private
    stored = s3.get_object(Bucket=BUCKET, Key=item.file.name)["Body"].read()
    assert stored == PDF_BYTES
    anonymous_get = requests.get(f"{s3_endpoint}/{BUCKET}/{item.file.name}", timeout=10)
    assert anonymous_get.status_code == 403
    # And an enrolled student receives a presigned URL that downloads the bytes
    url = client_as("enrolled_student").get(f"/api/v1/content-items/{item.pk}/").json()["file"]
    assert url.startswith(s3_endpoint)
    assert "Signature" in url or "X-Amz-Signature" in url
    assert requests.get(url, timeout=10).content == PDF_BYTES
    # And the authenticated download endpoint streams it from the bucket too
    download = client_as("enrolled_student").get(f"/api/v1/content-items/{item.pk}/download/")
    assert b"".join(download.streaming_content) == PDF_BYTES
    # While an outsider gets no URL at all
    assert client_as("other_student").get(f"/api/v1/content-items/{item.pk}/").status_code == 404
    outsider = client_as("other_student").get(f"/api/v1/content-items/{item.pk}/download/")
    assert outsider.status_code == 404


def _post(client, lesson, *, kind: str, name: str, data: bytes):
    return client.post(
        "/api/v1/content-items/",
        {
            "lesson": lesson.pk,
            "kind": kind,
            "title": "Declared as a web page",
            "file": SimpleUploadedFile(name, data, content_type="text/html"),
        },
        format="multipart",
    )


@pytest.mark.django_db
def test_the_bucket_records_the_type_read_from_the_bytes_not_the_clients_claim(
    s3, client_as, lesson, enrolled_student
):
    # Given an instructor uploads a PDF and a text file, both declared as text/html
    pdf = _post(client_as("instructor"), lesson, kind="pdf", name="slides.pdf", data=PDF_BYTES)
    text = b"<p>notes</p>\n" + b"plain words\n" * 400 + b"<script>alert(1)</script>"
    notes = _post(client_as("instructor"), lesson, kind="file", name="notes.txt", data=text)
    assert pdf.status_code == notes.status_code == 201, (pdf.content, notes.content)
    # Then the objects carry the detected type, and only the PDF may show inline
    pdf_item = ContentItem.objects.get(pk=pdf.json()["id"])
    notes_item = ContentItem.objects.get(pk=notes.json()["id"])
    head = s3.head_object(Bucket=BUCKET, Key=pdf_item.file.name)
    assert head["ContentType"] == "application/pdf"
    assert head["ContentDisposition"] == 'inline; filename="slides.pdf"'
    head = s3.head_object(Bucket=BUCKET, Key=notes_item.file.name)
    assert head["ContentType"] == "application/octet-stream"
    assert head["ContentDisposition"] == 'attachment; filename="notes.txt"'
    # And the presigned URLs a student gets make S3 answer with the same headers
    reader = client_as("enrolled_student")
    served = requests.get(
        reader.get(f"/api/v1/content-items/{pdf_item.pk}/").json()["file"], timeout=10
    )
    assert served.headers["Content-Type"] == "application/pdf"
    assert served.headers["Content-Disposition"] == 'inline; filename="slides.pdf"'
    served = requests.get(
        reader.get(f"/api/v1/content-items/{notes_item.pk}/").json()["file"], timeout=10
    )
    assert served.headers["Content-Type"] == "application/octet-stream"
    assert served.headers["Content-Disposition"] == 'attachment; filename="notes.txt"'
    assert served.content == text


@pytest.mark.django_db
def test_a_pdf_carrying_html_never_reaches_the_bucket(s3, client_as, lesson):
    polyglot = PDF_BYTES + b" " * 4096 + b"<html><body><img src=x onerror=alert(1)></body></html>"
    objects_before = s3.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0)
    response = _post(client_as("instructor"), lesson, kind="pdf", name="x.pdf", data=polyglot)
    assert response.status_code == 400
    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0) == objects_before


@pytest.mark.django_db
def test_any_file_saved_to_the_storage_gets_its_type_from_its_bytes(s3):
    name = default_storage.save("anything/page.html", ContentFile(b"<html><script>x</script>"))
    head = s3.head_object(Bucket=BUCKET, Key=name)
    assert head["ContentType"] == "application/octet-stream"
    assert head["ContentDisposition"] == 'attachment; filename="page.html"'
    name = default_storage.save("anything/pixel.gif", ContentFile(PNG_BYTES))
    assert s3.head_object(Bucket=BUCKET, Key=name)["ContentType"] == "image/png"
