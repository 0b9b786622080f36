"""OpenAPI descriptions of the error answers every endpoint shares."""

import copy

from django.contrib.auth.models import AnonymousUser
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from lms.common.error_codes import error_codes_markdown


class ErrorSerializer(serializers.Serializer):
    """The JSON body of an error answer."""

    detail = serializers.CharField()
    code = serializers.CharField(
        help_text="A stable machine-readable reason to branch on (a new one may appear; "
        "treat an unknown code by its HTTP status):\n\n" + error_codes_markdown()
    )

    class Meta:
        ref_name = "Error"


class ValidationErrorSerializer(serializers.Serializer):
    """A 400 body: `{"field": ["message"]}` for bad fields, or an `Error` (`{detail, code}`)."""


class ValidationErrorExtension(OpenApiSerializerExtension):
    """Describes `ValidationErrorSerializer` as `Error` or `{field: messages}` (nested for
    nested input: a list of such objects per item, or one object)."""

    target_class = ValidationErrorSerializer

    def get_name(self, auto_schema, direction):
        return "ValidationError"

    def map_serializer(self, auto_schema, direction):
        error = auto_schema.resolve_serializer(ErrorSerializer, direction)
        field_errors = ResolvedComponent(
            name="FieldErrors",
            type=ResolvedComponent.SCHEMA,
            object="FieldErrors",
            schema={
                "type": "object",
                "description": "Messages per input field; nested input nests the same way.",
                "additionalProperties": {
                    "oneOf": [
                        {"type": "array", "items": {"type": "string"}},
                        {"type": "array", "items": {"$ref": "#/components/schemas/FieldErrors"}},
                        {"$ref": "#/components/schemas/FieldErrors"},
                    ]
                },
            },
        )
        auto_schema.registry.register_on_missing(field_errors)
        return {"oneOf": [error.ref, field_errors.ref]}


def error_response(description: str, body=ErrorSerializer) -> OpenApiResponse:
    """An error answer with `{detail}` (or `body`) and what it means here."""
    return OpenApiResponse(response=body, description=description)


BAD_REQUEST = OpenApiResponse(
    ValidationErrorSerializer,
    description='Invalid input: `{"field": ["message"]}` or `{"detail": "..."}`.',
)
UNAUTHORIZED = error_response("No, invalid or expired credentials.")
FORBIDDEN = error_response("Authenticated, but this role may not do this.")
NOT_FOUND = error_response("Unknown, or not visible to the caller.")
CONFLICT = error_response("Conflicts with the current state.")
THROTTLED = error_response("Too many requests: retry after the `Retry-After` header's seconds.")

_BY_STATUS = {
    400: BAD_REQUEST,
    401: UNAUTHORIZED,
    403: FORBIDDEN,
    404: NOT_FOUND,
    409: CONFLICT,
    429: THROTTLED,
}


def errors(*statuses: int) -> dict[int, OpenApiResponse]:
    """The shared error answers for `statuses`, to spread into `responses={...}`."""
    return {status: _BY_STATUS[status] for status in statuses}


NO_SUCH_PAGE = error_response("`page` is not a page of this list (`Invalid page.`).")


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema, plus what the framework itself answers on every route.

    Authentication, throttling, object lookup and pagination run before (or around) a
    view's own code, so their answers hold for every operation that has them; documenting
    them here keeps each view's `responses={...}` about that view's own rules.
    """

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is not None and not any(operation.get("security", [])):
            operation["security"] = []  # public (login, webhook, ...): said, not left implied
        return operation

    def get_auth(self) -> list[dict]:
        auth = super().get_auth()
        if auth and {} not in auth and self._anonymous_may_call():
            auth.append({})  # the token is optional: anonymous callers get the public answer
        return auth

    def _anonymous_may_call(self) -> bool:
        """Whether every permission class lets a caller without credentials through."""
        request = self.view.initialize_request(
            getattr(APIRequestFactory(), self.method.lower())(self.path)
        )
        request.user = AnonymousUser()
        return all(
            permission.has_permission(request, self.view)
            for permission in self.view.get_permissions()
        )

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "response":
            # DRF writes every readable field of a serializer, so a response field is always sent.
            optional = set(getattr(serializer, "optional_in_response", ()))
            required = [name for name in schema["properties"] if name not in optional]
            if required:
                schema["required"] = required
        return schema

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        for status, response in self._framework_errors().items():
            if str(status) not in bodies:
                bodies[str(status)] = self._get_response_for_code(
                    response, str(status), direction=direction
                )
        return bodies

    def _framework_errors(self) -> dict[int, OpenApiResponse]:
        errors = {}
        if self.view.get_authenticators():
            errors[401] = UNAUTHORIZED  # a malformed, expired or revoked token, even where optional
        if "{" in self.path:
            errors[404] = NOT_FOUND
        elif self._is_list_view() and self._get_paginator() is not None:
            errors[400] = BAD_REQUEST  # a `page_size` or filter value that is not one
            errors[404] = NO_SUCH_PAGE
        if self.view.get_throttles():
            errors[429] = THROTTLED
        return errors


#: The integer range of the production database (PostgreSQL `integer`). SQLite would
#: report 64-bit bounds for the same fields, making the schema depend on the database.
PORTABLE_INT_MAX = 2_147_483_647
SQLITE_INT_MAX = 9_223_372_036_854_775_807


def schema_postprocess(result, generator, request, public):
    """Postprocessing hook: files in multipart only, integer bounds whatever the database."""
    result = files_travel_in_multipart(result, generator, request, public)
    # Model integer fields only (components); id filters are 64-bit on every database.
    _integer_bounds_portable(result.get("components", {}).get("schemas", {}))
    return result


def _integer_bounds_portable(node) -> None:
    if isinstance(node, dict):
        if node.get("type") == "integer" and node.get("maximum") == SQLITE_INT_MAX:
            node["maximum"] = PORTABLE_INT_MAX
            node.pop("format", None)
        for value in node.values():
            _integer_bounds_portable(value)
    elif isinstance(node, list):
        for value in node:
            _integer_bounds_portable(value)


def files_travel_in_multipart(result, generator, request, public):
    """Postprocessing hook: a file field is sent in multipart only.

    In JSON a file field can only be `null` (when the field allows clearing it), and a
    urlencoded form cannot carry a file at all, so operations that take files document
    JSON with a variant of their body and no urlencoded form.
    """
    schemas = result.get("components", {}).get("schemas", {})
    for operations in result["paths"].values():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content", {})
            ref = content.get("multipart/form-data", {}).get("schema", {}).get("$ref", "")
            name = ref.rsplit("/", 1)[-1]
            if name not in schemas or not _file_fields(schemas[name]):
                continue
            content.pop("application/x-www-form-urlencoded", None)
            json_ref = content.get("application/json", {}).get("schema", {}).get("$ref")
            if json_ref == ref:  # one serializer for both: JSON gets the file-less variant
                json_name = f"{name.removesuffix('Request')}JsonRequest"
                schemas.setdefault(json_name, _without_files(schemas[name]))
                content["application/json"]["schema"] = {
                    "$ref": f"#/components/schemas/{json_name}"
                }
    return result


def _file_fields(component: dict) -> list[str]:
    properties = component.get("properties", {})
    return [name for name, field in properties.items() if field.get("format") == "binary"]


def _without_files(component: dict) -> dict:
    variant = copy.deepcopy(component)
    for name in _file_fields(component):
        field = variant["properties"][name]
        if field.get("nullable"):
            variant["properties"][name] = {
                "type": "string",
                "nullable": True,
                "enum": [None],
                "description": "Only `null` (removes the file) in JSON; upload with multipart.",
            }
        else:
            del variant["properties"][name]
            if name in variant.get("required", []):
                variant["required"].remove(name)
    return variant
