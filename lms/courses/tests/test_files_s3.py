"""The S3 path, against moto's standalone S3 server on loopback (nothing leaves the machine)."""

import boto3
import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer

from lms.courses.models import ContentItem

from .conftest import PDF_BYTES

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
            "BACKEND": "storages.backends.s3.S3Storage",
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
