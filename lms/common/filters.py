"""Query-parameter filters shared by every app's list endpoints."""

import django_filters
from django import forms

#: The largest id any of our tables can hold (PostgreSQL bigint); larger is bad input.
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """An object id: a whole number from 1 to MAX_ID, else 400 (never a database error)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
