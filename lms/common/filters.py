"""Query-parameter filters shared by every app's list endpoints."""

import django_filters
from django import forms
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import filters
from rest_framework.exceptions import ValidationError

#: The largest id any of our tables can hold (PostgreSQL bigint); larger is bad input.
MAX_ID = 2**63 - 1
#: The OpenAPI schema of an object id in a query: what IdFilter and id_query_param accept.
ID_SCHEMA = {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID}


def id_parameter(name: str, description: str) -> OpenApiParameter:
    """The schema's description of an id query parameter read by `id_query_param`."""
    return OpenApiParameter(name, ID_SCHEMA, description=description)


def _document(filter_, schema: dict, help_text: str | None) -> None:
    """Give drf-spectacular this filter's schema, keeping its `help_text` as the description."""
    extend_schema_field({**schema, **({"description": help_text} if help_text else {})})(filter_)


class IdFilter(django_filters.NumberFilter):
    """An object id: a whole number from 1 to MAX_ID, else 400 (never a database error)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
        _document(self, ID_SCHEMA, kwargs.get("help_text"))


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


class _GivenChoiceField(forms.TypedChoiceField):
    """A choice that may be left out of the query string, but not sent empty."""

    def clean(self, value):
        if value == "":
            raise forms.ValidationError("Give `true` or `false`.", code="invalid")
        return super().clean(value)


class BooleanFilter(django_filters.TypedChoiceFilter):
    """`true` or `false` (or `1`/`0`); anything else, empty too, is a 400, never silently
    no filter."""

    field_class = _GivenChoiceField
    TRUE, FALSE = ("true", "True", "1"), ("false", "False", "0")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [(value, value) for value in self.TRUE + self.FALSE])
        kwargs.setdefault("coerce", lambda value: value in self.TRUE)
        super().__init__(*args, **kwargs)
        _document(self, {"type": "boolean"}, kwargs.get("help_text"))


class OrderingFilter(filters.OrderingFilter):
    """`?ordering=` with the view's `ordering_fields` (`-` for descending, commas to chain).

    An unknown field (or none) is a 400, where DRF's filter silently drops it.
    """

    def get_ordering(self, request, queryset, view):
        if request.query_params.get(self.ordering_param) == "":
            raise ValidationError({self.ordering_param: ["Name a field to sort by."]})
        return super().get_ordering(request, queryset, view)

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        unknown = [term for term in fields if term not in valid]
        if unknown:
            raise ValidationError(
                {self.ordering_param: [f"Unknown ordering: {', '.join(unknown)}."]}
            )
        return valid

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        fields = getattr(view, "ordering_fields", None)
        if isinstance(fields, list | tuple):
            terms = [term for field in fields for term in (field, f"-{field}")]
            for parameter in parameters:
                parameter["schema"]["enum"] = terms
                parameter["description"] = (
                    "Sort by this field (`-` first for descending); several, comma-separated, "
                    "chain."
                )
        return parameters
