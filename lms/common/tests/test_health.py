"""Health endpoints and JSON answers for unknown API paths."""

import pytest


@pytest.mark.django_db
def test_healthz_answers_ok(api_client):
    response = api_client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_reports_database_and_cache(api_client):
    response = api_client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_readyz_reports_a_cache_outage_as_degraded_but_stays_ready(api_client, settings):
    # A Redis cache on a loopback port where nothing listens: the API serves without it.
    settings.CACHES = {
        "default": {
            "BACKEND": "lms.common.cache.TolerantRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    response = api_client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}


@pytest.mark.django_db
def test_readyz_answers_503_when_the_database_is_down(api_client, monkeypatch):
    from django.db import connection

    def broken(*args, **kwargs):
        raise ConnectionError("database down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = api_client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db
def test_unknown_api_path_answers_json_404(api_client):
    response = api_client.post("/api/v1/no-such-thing/", {"a": 1})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


@pytest.mark.django_db
def test_unknown_path_outside_the_api_answers_json_404_with_debug_off(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}
