"""Query-parameter filters shared by every app's list endpoints."""

import django_filters
from django import forms
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework.exceptions import ValidationError

#: The largest id any of our tables can hold (PostgreSQL bigint); larger is bad input.
MAX_ID = 2**63 - 1
#: The OpenAPI schema of an object id in a query: what IdFilter and id_query_param accept.
ID_SCHEMA = {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID}


def id_parameter(name: str, description: str) -> OpenApiParameter:
    """The schema's description of an id query parameter read by `id_query_param`."""
    return OpenApiParameter(name, ID_SCHEMA, description=description)


@extend_schema_field(ID_SCHEMA)
class IdFilter(django_filters.NumberFilter):
    """An object id: a whole number from 1 to MAX_ID, else 400 (never a database error)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


def id_query_param(request, name: str) -> int | None:
    """The query parameter `name` as an object id: None when absent, 400 when not one."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_ID:
        raise ValidationError({name: ["A whole number from 1 is required."]})
    return value
