"""OpenAPI shapes of the content endpoints' own error bodies."""

from rest_framework import serializers

from lms.common.schema import error_response


class LessonLockedErrorSerializer(serializers.Serializer):
    """A 403: not allowed, or (`code` `lesson_locked`) the lesson is not open to you yet."""

    optional_in_response = ("available_at",)  # only with `lesson_locked`

    detail = serializers.CharField()
    code = serializers.CharField(
        required=False, help_text="`lesson_locked` when the lesson is locked."
    )
    available_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="`lesson_locked`: when the lesson is released (null when it waits for "
        "earlier lessons to be completed).",
    )


def lesson_locked_response(description: str):
    """A 403 answer that may be `lesson_locked` (sequential course, drip release)."""
    return error_response(
        f"{description} A locked lesson (sequential course or not released yet): "
        '`{"code": "lesson_locked", "available_at": ...}`.',
        LessonLockedErrorSerializer,
    )
