"""A browser app on an allowed origin may call the API and read Retry-After and
Content-Disposition; any other origin gets no CORS grant."""

import pytest
from django.test import override_settings

VITE = "http://localhost:5173"

pytestmark = pytest.mark.django_db


def preflight(client, origin: str):
    return client.options(
        "/api/v1/enrollments/",
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )


@override_settings(CORS_ALLOWED_ORIGINS=[VITE])
def test_preflight_from_an_allowed_origin_is_granted(client):
    response = preflight(client, VITE)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == VITE
    assert "POST" in response["Access-Control-Allow-Methods"]
    allowed = response["Access-Control-Allow-Headers"].lower()
    assert "authorization" in allowed and "content-type" in allowed


@override_settings(CORS_ALLOWED_ORIGINS=[VITE])
def test_preflight_from_another_origin_gets_no_grant(client):
    response = preflight(client, "https://evil.example")

    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Methods" not in response


@override_settings(CORS_ALLOWED_ORIGINS=[VITE])
def test_answers_expose_retry_after_and_content_disposition(client):
    response = client.get("/api/v1/courses/", HTTP_ORIGIN=VITE)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == VITE
    exposed = {
        name.strip().lower() for name in response["Access-Control-Expose-Headers"].split(",")
    }
    assert {"retry-after", "content-disposition"} <= exposed


@override_settings(CORS_ALLOWED_ORIGINS=[VITE])
def test_an_error_answer_carries_the_grant_too(client):
    response = client.get("/api/v1/enrollments/", HTTP_ORIGIN=VITE)

    assert response.status_code == 401
    assert response["Access-Control-Allow-Origin"] == VITE
