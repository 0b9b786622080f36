"""OpenAPI descriptions of the error answers every endpoint shares."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """The JSON body of an error answer."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False, help_text="A stable machine-readable reason.")


def error_response(description: str, body=ErrorSerializer) -> OpenApiResponse:
    """An error answer with `{detail}` (or `body`) and what it means here."""
    return OpenApiResponse(response=body, description=description)


BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT,
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
