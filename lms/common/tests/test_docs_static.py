"""The docs pages with debug off and no `collectstatic`: a clear 503, never a 500."""

import pytest
from django.test import override_settings

from config.test_settings import STORAGES

MANIFEST = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_docs_without_collected_static_say_so(client, tmp_path, path):
    with override_settings(DEBUG=False, STORAGES=MANIFEST, STATIC_ROOT=tmp_path):
        response = client.get(path)

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "static_files_missing"
    assert "collectstatic" in body["detail"]


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_docs_with_static_files_render(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert b"<html" in response.content.lower()
