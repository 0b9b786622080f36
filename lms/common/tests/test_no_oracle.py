"""Naming an object the caller may not see answers exactly as naming one that does not exist."""

import json

import pytest
from django.test import Client

from .hostile import base_body, operation, request_fields
from .world import all_routes, build_school, fill, noun_of

UNKNOWN = 987654321
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Which hidden objects stand for each noun a path, a filter or a body field names.
HIDDEN_BY_NOUN = {
    "course": ("draft_course",),
    "module": ("draft_module",),
    "lesson": ("draft_lesson",),
    "content-item": ("draft_item",),
    "quiz": ("draft_quiz", "unpublished_quiz"),
    "question": ("draft_question", "unpublished_question"),
    "enrollment": ("enrollment",),
    "payment": ("payment",),
    "quiz-submission": ("submission",),
    "certificate": ("certificate",),
    "user": ("user",),
}
FIELD_NOUNS = {
    "course": "course",
    "module": "module",
    "lesson": "lesson",
    "quiz": "quiz",
    "question": "question",
    "submission_id": "quiz-submission",
    "course_id": "course",
    "module_id": "module",
    "lesson_id": "lesson",
    "quiz_id": "quiz",
    "student_id": "user",
}


def _answer(client, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else b""
    response = client.generic(method, path, data, content_type="application/json")
    content = response.content if not getattr(response, "streaming", False) else b"<file>"
    return response.status_code, content.decode(errors="replace")


def _same(client, method, make_path, make_body, hidden_id) -> str | None:
    """None if the hidden object answers like a missing one, else what differed."""
    seen = _answer(client, method, make_path(hidden_id), make_body(hidden_id))
    missing = _answer(client, method, make_path(UNKNOWN), make_body(UNKNOWN))
    seen = (seen[0], seen[1].replace(str(hidden_id), "<id>"))
    missing = (missing[0], missing[1].replace(str(UNKNOWN), "<id>"))
    if seen == missing:
        return None
    return f"hidden {seen[0]} {seen[1][:150]!r} vs missing {missing[0]} {missing[1][:150]!r}"


def _cases(school):
    """(label, method, path(id), body(id), noun) for every place a request names an object."""
    routes = [r for r in all_routes() if not r.is_admin and r.name]
    for route in routes:
        noun = noun_of(route)
        own = fill(route, {"pk": school.ids.get(noun), "code": school.ids["code"]})
        if own is None:
            continue
        for method in METHODS:
            op = operation(own, method)
            if op is None:
                continue
            body = base_body(op, school.ids) if "requestBody" in op else None
            if noun is not None and "(?P<pk>" in route.regex:
                yield (
                    f"{method} {route.name} path",
                    method,
                    lambda i, route=route: fill(route, {"pk": i}),
                    lambda i, body=body: body,
                    noun,
                )
            for field in request_fields(op):
                if field in FIELD_NOUNS:
                    yield (
                        f"{method} {route.name} body {field}",
                        method,
                        lambda i, own=own: own,
                        lambda i, body=body, field=field: {**(body or {}), field: i},
                        FIELD_NOUNS[field],
                    )
            for param in op.get("parameters", []):
                if param["in"] == "query" and param["name"] in FIELD_NOUNS:
                    yield (
                        f"{method} {route.name} ?{param['name']}",
                        method,
                        lambda i, own=own, name=param["name"]: f"{own}?{name}={i}",
                        lambda i, body=body: body,
                        FIELD_NOUNS[param["name"]],
                    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "student", "instructor"])
def test_hidden_objects_answer_exactly_like_missing_ones(role, settings):
    settings.THROTTLE_RATES = dict.fromkeys(settings.THROTTLE_RATES, "1000000/min")
    school = build_school()
    client = Client(raise_request_exception=False, **school.headers(role))
    mismatches = []
    for label, method, make_path, make_body, noun in _cases(school):
        for key in HIDDEN_BY_NOUN.get(noun, ()):
            differs = _same(client, method, make_path, make_body, school.hidden[key])
            if differs:
                mismatches.append(f"{label} ({key}) as {role}: {differs}")
    assert not mismatches, f"{len(mismatches)} oracles:\n" + "\n".join(mismatches)
