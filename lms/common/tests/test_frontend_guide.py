"""docs/frontend-guide.md is executed: every example request runs, in the guide's order, against
the demo data set, and its answer must match the documented status and body.

An example is an ```http block (request line, optional `Authorization` header, blank line,
JSON body) followed by a ```json block whose info string says `status=NNN` (and optionally
`save=name:path,...` to keep values for later examples, e.g. `save=submission:submission_id`).
`{name}` in either block is a value named below or saved before. The documented body is
matched as a subset (every documented key must be there and match; lists match item by item,
and a trailing `"..."` allows more items). Volatile values are written as shapes: `"<int>"`,
`"<string>"`, `"<datetime>"`, `"<date>"`, `"<jwt>"`, `"<url>"`, `"<decimal>"`, `"<bool>"`,
`"<any>"`, with `|null` for a value that may be null (`"<datetime|null>"`).
"""

import json
import os
import re
from decimal import Decimal, InvalidOperation
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework.test import APIClient

from lms.courses.models import Course, Lesson
from lms.enrollments.models import Certificate
from lms.payments.models import Payment
from lms.quizzes.models import QuizSubmission
from lms.users.models import User
from lms.users.tokens import token_pair_for

GUIDE = Path(settings.BASE_DIR) / "docs" / "frontend-guide.md"
BLOCK = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```", re.M | re.S)
VARIABLE = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
TOKEN_OF = re.compile(r"<access token of (\S+?)>")
SHAPE = re.compile(r"^<([a-z|]+)>$")
#: GUIDE_DUMP=file writes the real answers there instead of checking (to write examples).
DUMP: list[str] | None = [] if os.environ.get("GUIDE_DUMP") else None


def _examples(text: str) -> list[dict]:
    blocks = [(m.group(1), m.group(2).strip(), m.group(3)) for m in BLOCK.finditer(text)]
    examples = []
    for (kind, _info, body), following in zip(blocks, [*blocks[1:], None], strict=True):
        if kind != "http":
            continue
        assert following and following[0] == "json", f"no ```json answer after:\n{body}"
        options = dict(item.split("=", 1) for item in following[1].split())
        examples.append(
            {**options, "request": body, "status": int(options["status"]), "response": following[2]}
        )
    return examples


def _fill(text: str, values: dict) -> str:
    return VARIABLE.sub(lambda m: str(values[m[1]]) if m[1] in values else m[0], text)


def _matches_shape(shape: str, value) -> bool:
    kinds = shape.split("|")
    if value is None:
        return "null" in kinds or "any" in kinds
    checks = {
        "any": lambda v: True,
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "bool": lambda v: isinstance(v, bool),
        "string": lambda v: isinstance(v, str),
        "jwt": lambda v: isinstance(v, str) and v.count(".") == 2,
        "url": lambda v: isinstance(v, str) and v.startswith(("http://", "https://")),
        "datetime": lambda v: isinstance(v, str) and parse_datetime(v) is not None,
        "date": lambda v: isinstance(v, str) and parse_date(v) is not None,
        "decimal": lambda v: isinstance(v, str) and _is_decimal(v),
    }
    return any(checks[kind](value) for kind in kinds if kind != "null")


def _is_decimal(value: str) -> bool:
    try:
        Decimal(value)
    except InvalidOperation:
        return False
    return True


def _match(expected, actual, where="body") -> None:
    if isinstance(expected, str) and (shape := SHAPE.match(expected)):
        assert _matches_shape(shape[1], actual), f"{where}: {actual!r} is not {expected}"
    elif isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: expected an object, got {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{where}: no field {key!r} (has {sorted(actual)})"
            _match(value, actual[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{where}: expected a list, got {actual!r}"
        more = bool(expected) and expected[-1] == "..."
        items = expected[:-1] if more else expected
        if more:
            assert len(actual) >= len(items), f"{where}: {len(actual)} items < {len(items)}"
        else:
            assert len(actual) == len(items), f"{where}: {len(actual)} items, not {len(items)}"
        for index, item in enumerate(items):
            _match(item, actual[index], f"{where}[{index}]")
    else:
        assert expected == actual, f"{where}: {actual!r} != {expected!r}"


def _path_value(body, path: str):
    for part in path.split("."):
        body = body[int(part)] if isinstance(body, list) else body[part]
    return body


def _send(client: APIClient, request: str):
    head, _, body = request.partition("\n\n")
    lines = head.strip().splitlines()
    method, path = lines[0].split()[:2]
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "authorization":
            token = TOKEN_OF.search(value)
            user = User.objects.get(email=token[1]) if token else None
            headers["HTTP_AUTHORIZATION"] = (
                f"Bearer {token_pair_for(user)['access']}" if user else value.strip()
            )
    data = json.loads(body) if body.strip() else None
    return getattr(client, method.lower())(path, data=data, format="json", **headers)


def _demo_values() -> dict:
    python = Course.objects.get(slug="python-fundamentals")
    paid = Course.objects.get(slug="django-rest-apis")
    first_lesson = Lesson.objects.filter(module__course=python).order_by("module__order", "order")
    return {
        "python_course": python.pk,
        "paid_course": paid.pk,
        "python_quiz": python.quizzes.get().pk,
        "first_lesson": first_lesson.first().pk,
        "li_certificate": Certificate.objects.get(enrollment__student__email="li@example.com").pk,
        "li_certificate_code": Certificate.objects.get(
            enrollment__student__email="li@example.com"
        ).code,
        "sam_payment": Payment.objects.get(student__email="sam@example.com", course=paid).pk,
        "review_submission": QuizSubmission.objects.get(
            student__email="maria@example.com", status=QuizSubmission.Status.NEEDS_REVIEW
        ).pk,
    }


@pytest.mark.django_db
def test_every_guide_example_answers_as_documented():
    call_command("seed_demo", stdout=StringIO())
    values = _demo_values()
    examples = _examples(GUIDE.read_text())
    assert len(examples) >= 40, "the guide documents the API by example"
    client = APIClient()
    for example in examples:
        request = _fill(example["request"], values)
        response = _send(client, request)
        first_line = request.strip().splitlines()[0]
        media_type = example.get("type", "application/json")
        body = response.json() if "json" in response.get("Content-Type", "") else None
        if DUMP is not None:
            DUMP.append(f"{first_line}\n{response.status_code} {json.dumps(body, indent=2)}\n")
        else:
            assert response.status_code == example["status"], f"{first_line}: {body}"
            if example["response"].strip() or "type" in example:
                assert response["Content-Type"].startswith(media_type), first_line
            if example["response"].strip():
                _match(json.loads(_fill(example["response"], values)), body, first_line)
        for item in example.get("save", "").split(","):
            if item and body is not None:
                name, path = item.split(":", 1)
                values[name] = _path_value(body, path)
    if DUMP is not None:
        Path(os.environ["GUIDE_DUMP"]).write_text("\n".join(DUMP))


def test_a_changed_field_or_shape_fails_the_match():
    _match(
        {"id": "<int>", "status": "active", "items": [1, "..."]},
        {"id": 3, "status": "active", "items": [1, 2], "new": 1},
    )
    for expected, actual in [
        ({"status": "active"}, {"status": "cancelled"}),
        ({"status": "active"}, {"state": "active"}),
        ({"id": "<int>"}, {"id": "3"}),
        ({"at": "<datetime>"}, {"at": "yesterday"}),
        ({"items": [1]}, {"items": [1, 2]}),
        ({"at": "<datetime>"}, {"at": None}),
    ]:
        with pytest.raises(AssertionError):
            _match(expected, actual)
