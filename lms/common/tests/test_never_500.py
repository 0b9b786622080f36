"""Every route, every method, every role, hostile input: a JSON 4xx or a 2xx/3xx, never a 5xx."""

import json
import time
import traceback

import pytest
import requests
from django.test import Client

from .hostile import base_body, hostile_bodies, hostile_queries, operation
from .world import ROLES, admin_values, all_routes, build_school, fill, noun_of

METHODS = ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH")
WRITES = ("POST", "PUT", "PATCH")
FORM = "application/x-www-form-urlencoded"
# Answers that refuse a request before its body is read: hostile bodies would change nothing.
REFUSED_BEFORE_BODY = {401, 403, 404, 405}
UNKNOWN_ID = "999999999"
# Malformed ids fail the same way whoever asks; two roles are enough to walk them.
MALFORMED_IDS = (str(10**25), "abc", "%00", "-1")
DOCS = ("schema", "swagger-ui", "redoc")


class Walk:
    """Sends requests as one role and records every answer that breaks the contract."""

    def __init__(self, role: str, school):
        self.role, self.school = role, school
        self.client = Client(raise_request_exception=False, **school.headers(role))
        self.failures: list[str] = []
        self.sent = 0

    def send(self, method, path, *, body=b"", content_type="application/json", label="", lax=False):
        self.sent += 1
        if method in ("GET", "HEAD", "OPTIONS", "DELETE"):
            response = self.client.generic(method, path)
        else:
            response = self.client.generic(method, path, body, content_type=content_type)
        self.check(response, method, path, label, lax)
        return response

    def check(self, response, method, path, label, lax):
        status = response.status_code
        where = f"{method} {path[:120]} [{label}] as {self.role}: {status}"
        if status == 503 and _documents_503(path, method):
            # An outside service that is down (Google here) is a documented, honest 503.
            status = 400
        if status >= 500:
            self.failures.append(f"{where} {_cause(response)}")
            return
        if lax:
            # The Django admin is a browser UI: its pages and redirects are HTML by design.
            return
        ctype = response.get("Content-Type", "")
        if 300 <= status < 400:
            self.failures.append(f"{where} redirect to {response.get('Location')}")
        elif 400 <= status < 500 or ctype.startswith("application/json"):
            if not ctype.startswith("application/json"):
                self.failures.append(f"{where} answered {ctype!r}, not JSON")
            elif method != "HEAD" and status != 204:
                try:
                    json.loads(_content(response))
                except ValueError:
                    self.failures.append(f"{where} body is not JSON")
        elif status == 201 and method != "POST":
            self.failures.append(f"{where} 201 for a {method}")


def _documents_503(path: str, method: str) -> bool:
    return "503" in ((operation(path.split("?")[0], method) or {}).get("responses") or {})


def _content(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _cause(response) -> str:
    exc_info = getattr(response, "exc_info", None)
    if not exc_info:
        return _content(response)[:200].decode(errors="replace")
    frames = [f for f in traceback.extract_tb(exc_info[2]) if "/lms/" in f.filename]
    at = f" at {frames[-1].filename.split('/lms/')[-1]}:{frames[-1].lineno}" if frames else ""
    return f"{exc_info[0].__name__}: {str(exc_info[1])[:120]}{at}"


def _paths(route, school) -> str | None:
    if route.is_admin:
        return fill(route, {**admin_values(route, school), "url": "nowhere/"})
    if route.pattern == "^api/":
        return "/api/v1/nowhere/"
    return fill(route, {"code": school.ids["code"], "pk": school.ids.get(noun_of(route))})


def _unreachable(self, method, url, *args, **kwargs):
    raise requests.ConnectionError(f"no network in tests ({url})")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_route_method_and_hostile_body_answers_json_never_5xx(role, settings, monkeypatch):
    # Auth throttles would answer 429 before the body is read; the walk wants the body read.
    settings.THROTTLE_RATES = dict.fromkeys(settings.THROTTLE_RATES, "1000000/min")
    # Outside services configured, so their endpoints read the body; Google is unreachable.
    settings.STRIPE_WEBHOOK_SECRET = "whsec_walk"
    settings.SOCIALACCOUNT_PROVIDERS = {
        "google": {"APPS": [{"client_id": "walk.apps.example", "secret": "s", "key": ""}]}
    }
    monkeypatch.setattr(requests.Session, "request", _unreachable)
    school = build_school()
    walk = Walk(role, school)
    started = time.monotonic()
    routes = [r for r in all_routes() if r.name is not None or r.pattern == "^api/"]
    targets = [(route, path) for route in routes if (path := _paths(route, school))]
    api = [(r, p) for r, p in targets if not r.is_admin and r.name not in DOCS]
    # The admin UI, the schema and its pages do not depend on the caller's API role.
    others = {
        "anonymous": [t for t in targets if t not in api],
        "admin": [t for t in targets if t[0].is_admin],
    }.get(role, [])

    # 1. Every route and method with the school's own ids and a plausible body.
    open_writes = []
    for route, path in others:
        # An admin form posted empty: the add and change views validate it.
        form = role == "admin" and (route.name or "").endswith(("_add", "_change"))
        for method in (("GET", "POST") if form else ("GET",)) if route.is_admin else METHODS:
            walk.send(method, path, content_type=FORM, label="other", lax=route.is_admin)
    for _route, path in api:
        for method in METHODS:
            op = operation(path, method)
            body = json.dumps(base_body(op, school.ids)).encode()
            response = walk.send(method, path, body=body, label="valid-ish")
            # PUT reads its body exactly as PATCH does; one of them is enough.
            if method in ("POST", "PATCH") and response.status_code not in REFUSED_BEFORE_BODY:
                open_writes.append((path, method, op))
    # 2. Hostile bodies on every write the role gets past the permission checks of.
    for path, method, op in open_writes:
        for label, ctype, body in hostile_bodies(op, school.ids, envelope=method == "POST"):
            walk.send(method, path, body=body, content_type=ctype, label=label)
    # 3. Hostile query strings on every documented read.
    for _route, path in api:
        op = operation(path, "GET")
        for query in hostile_queries(op) if op else ():
            walk.send("GET", f"{path}?{query}", label="query")
    # 4. Ids that name nothing, or are not ids at all.
    for route in routes:
        if noun_of(route) is None:
            continue
        bad_ids = {UNKNOWN_ID: ("GET", "POST", "PATCH", "DELETE")}
        if role == "admin":  # the one role every lookup is reached by
            bad_ids.update(dict.fromkeys(MALFORMED_IDS, ("GET", "PATCH")))
        for bad, methods in bad_ids.items():
            path = fill(route, {"pk": bad, "code": bad})
            for method in methods if path else ():
                walk.send(method, path, body=b'{"title": "x"}', label="bad id")
    # 5. Deletes last, so the walk above ran against a whole school.
    for _route, path in reversed(api):
        walk.send("DELETE", path, label="delete")

    elapsed = time.monotonic() - started
    print(f"{walk.sent} requests as {role} in {elapsed:.1f}s")
    assert not walk.failures, f"{len(walk.failures)} broken answers:\n" + "\n".join(
        walk.failures[:60]
    )


# --- the defects the walk found, one by one -----------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000 + b"]" * 100_000, b'{"email": "\\ud800@example.com", "password": "x"}'],
    ids=["nested too deeply", "lone surrogate"],
)
def test_json_that_python_parses_but_cannot_use_is_a_400(api_client, body):
    response = api_client.generic(
        "POST", "/api/v1/users/login/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")


@pytest.mark.django_db
def test_options_on_my_profile_describes_it(auth_client, student):
    response = auth_client(student).options("/api/v1/users/me/")
    assert response.status_code == 200
    assert "PATCH" in response["Allow"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/schema/", "/api/v1/docs/", "/api/v1/redoc/"])
def test_documentation_pages_refuse_other_methods_in_json(client, path):
    for method in ("POST", "OPTIONS"):
        response = client.generic(method, path)
        assert response.status_code == 405
        assert response["Content-Type"] == "application/json"
