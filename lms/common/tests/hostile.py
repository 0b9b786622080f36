"""Request bodies and query strings an attacker or a broken client sends, built from the schema."""

import functools
import json
import re

from drf_spectacular.generators import SchemaGenerator

NUL = "nul\x00byte"
UNICODE = "Ünïcödé ✓ \U0001d518 \u202e 🙂 \ufdfd"
# A lone surrogate survives JSON decoding but cannot be encoded for the database.
LONE_SURROGATE_JSON = '"\\ud800 lone"'
HUGE_INT = 10**30
WRONG_VALUES = ([1, 2], {"a": 1}, NUL, HUGE_INT, -1, 1.5, True, None, "", UNICODE)
EVERY_FIELD_VALUES = ([1, 2], {"a": 1}, NUL, HUGE_INT, None, UNICODE)
DEPTH = 100_000
HUGE = 11 * 1024 * 1024  # over DATA_UPLOAD_MAX_MEMORY_SIZE
JSON = "application/json"
MULTIPART = "multipart/form-data"


@functools.cache
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


@functools.cache
def _operations() -> list[tuple[re.Pattern, dict]]:
    compiled = []
    for path, operations in schema()["paths"].items():
        regex = re.compile(
            "^"
            + re.sub(r"\{[^}]+\}", "[^/]+", re.escape(path).replace(r"\{", "{").replace(r"\}", "}"))
            + "$"
        )
        compiled.append((regex, operations))
    return compiled


def operation(path: str, method: str) -> dict | None:
    """The schema's operation for a concrete path and method, if it documents one."""
    for regex, operations in _operations():
        if regex.match(path):
            return operations.get(method.lower())
    return None


def _resolve(node: dict) -> dict:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema()["components"]["schemas"][name]
    for key in ("allOf", "oneOf", "anyOf"):
        if key in node:
            return _resolve(node[key][0])
    return node


def request_fields(op: dict | None) -> dict:
    """The writable properties of an operation's JSON request body (name → schema)."""
    if not op or "requestBody" not in op:
        return {}
    content = op["requestBody"]["content"]
    body = content.get("application/json") or next(iter(content.values()))
    node = _resolve(body.get("schema", {}))
    return {
        name: prop
        for name, prop in node.get("properties", {}).items()
        if not _resolve(prop).get("readOnly")
    }


def plausible(name: str, prop: dict, ids: dict):
    """A value of the right type, naming the school's own objects where a field is an id."""
    node = _resolve(prop)
    kind = node.get("type")
    if "enum" in node:
        return next((v for v in node["enum"] if v not in (None, "")), None)
    if kind == "integer":
        noun = {
            "submission_id": "quiz-submission",
            "instructor_id": "instructor",
            "choices": "choice",
        }.get(name, name.replace("_", "-"))
        return ids.get(noun, 1)
    if kind == "number":
        return 10
    if kind == "boolean":
        return True
    if kind == "array":
        return [plausible(name, node.get("items", {}), ids)]
    if kind == "object":
        return {
            key: plausible(key, value, ids)
            for key, value in node.get("properties", {}).items()
            if not _resolve(value).get("readOnly")
        }
    fmt = node.get("format")
    return {
        "email": "new.person@example.com",
        "uri": "https://example.com/page",
        "date-time": "2030-01-01T00:00:00Z",
        "decimal": "10.00",
        "binary": None,
        "password": "a-long-enough-password-123",
    }.get(fmt, "Plain text")


def base_body(op: dict | None, ids: dict) -> dict:
    fields = request_fields(op)
    return {
        name: plausible(name, prop, ids)
        for name, prop in fields.items()
        if plausible(name, prop, ids) is not None
    }


def hostile_bodies(op: dict | None, ids: dict, *, envelope: bool = True):
    """(label, content_type, raw bytes) for every hostile shape of a write's body.

    `envelope`: also bodies that fail before any field is read (the parser's concern, the
    same for every view), which one method per route is enough to send."""
    base = base_body(op, ids)
    names = list(request_fields(op)) or ["title", "course", "email"]
    if envelope:
        yield from _envelopes(names)
    yield "array for object", JSON, _dumps([base])
    for value in EVERY_FIELD_VALUES:
        yield f"every field {value!r:.20}", JSON, _dumps(dict.fromkeys(names, value))
    for index, name in enumerate(names):
        for value in (WRONG_VALUES[index % len(WRONG_VALUES)], [{"x": [NUL]}]):
            yield f"{name}={value!r:.20}", JSON, _dumps({**base, name: value})
    yield "multipart fields", f"{MULTIPART}; boundary=BoUnDaRy", _multipart(names)
    form = b"&".join(n.encode() + b"=%00%FF&" + n.encode() + b"=2" for n in names)
    yield "form", "application/x-www-form-urlencoded", form


def _envelopes(names):
    yield "malformed JSON", JSON, b'{"title": "x",'
    yield "not UTF-8", JSON, b'{"title": "\xff\xfe"}'
    yield "deeply nested array", JSON, b"[" * DEPTH + b"]" * DEPTH
    yield "deeply nested object", JSON, b'{"a":' * DEPTH + b"1" + b"}" * DEPTH
    yield "huge body", JSON, b'{"%s": "%s"}' % (names[0].encode(), b"x" * HUGE)
    yield "string for object", JSON, b'"just a string"'
    yield "null body", JSON, b"null"
    surrogates = ",".join(f'"{n}": {LONE_SURROGATE_JSON}' for n in names)
    yield "lone surrogate", JSON, ("{" + surrogates + "}").encode()
    yield "multipart garbage", f"{MULTIPART}; boundary=B", b"--B\r\ngarbage\r\n\x00\xff--"
    yield "multipart no boundary", MULTIPART, b"whatever"
    yield "text/plain", "text/plain", b"hello"


def _dumps(value) -> bytes:
    return json.dumps(value).encode()


def _multipart(names) -> bytes:
    parts = []
    for name in names:
        parts.append(
            f'--BoUnDaRy\r\nContent-Disposition: form-data; name="{name}"; '
            'filename="../../x\x00.html"\r\n'
            "Content-Type: text/html\r\n\r\n<script>alert(1)</script>\r\n"
        )
        parts.append(
            f'--BoUnDaRy\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{NUL}\r\n'
        )
    return ("".join(parts) + "--BoUnDaRy--\r\n").encode("utf-8", "surrogatepass")


QUERY_VALUES = ("%00", "-1", "abc", "99999999999999999999999", "%FF%FE%ED%A0%80", "")


def hostile_queries(op: dict | None) -> list[str]:
    """Query strings setting every documented parameter to one hostile value at a time."""
    names = [p["name"] for p in (op or {}).get("parameters", []) if p["in"] == "query"]
    if names == ["page", "page_size"] or not names:
        return ["page=%00&page_size=-1", "page=99999999999999999999&page_size=abc"]
    queries = ["&".join(f"{n}={v}" for n in names) for v in QUERY_VALUES]
    queries.append("ordering=-nonexistent,__,%00&page_size=100000&page=last")
    queries.append("&".join(f"{n}=1&{n}=2" for n in names))
    return queries
