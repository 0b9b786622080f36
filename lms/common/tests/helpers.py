"""Helpers for the end-to-end tests: log in through the API and follow returned URLs."""

from urllib.parse import urlsplit

from rest_framework.test import APIClient

from lms.users.tests.factories import DEFAULT_PASSWORD

API = "/api/v1/"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def login(email: str, password: str = DEFAULT_PASSWORD) -> tuple[APIClient, dict]:
    """Log in through `users/login/`; answers a client carrying the access token, and the body."""
    client = APIClient()
    response = client.post(f"{API}users/login/", {"email": email, "password": password})
    assert response.status_code == 200, response.content
    body = response.json()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access']}")
    return client, body


def path_of(url: str) -> str:
    """The path and query of an absolute URL the API returned, for the test client."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def content_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def correct_answers(questions: list[dict]) -> list[dict]:
    """A submit payload answering every question right, from the instructor's view of the quiz."""
    answers = []
    for question in questions:
        if question["kind"] == "short_answer":
            answers.append({"question": question["id"], "text": question["accepted_answers"][0]})
        else:
            right = [c["id"] for c in question["choices"] if c["is_correct"]]
            answers.append({"question": question["id"], "choices": right})
    return answers
