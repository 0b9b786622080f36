"""Query filters of the audit log."""

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField

from lms.common.filters import IdFilter

from .models import AuditEntry


class _GivenIsoDateTimeField(IsoDateTimeField):
    def clean(self, value):
        # `?since=` with nothing is bad input (400), not "no filter".
        if value == "":
            raise forms.ValidationError("Give a date and time (ISO 8601).")
        return super().clean(value)


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 date-time; an empty or malformed value is a 400."""

    field_class = _GivenIsoDateTimeField


class AuditEntryFilter(django_filters.FilterSet):
    """`actor` (user id), `action`, `target_type`, `target_id`, and `since`/`until` on `at`."""

    actor = IdFilter(field_name="actor_id", help_text="The acting user's id.")
    action = django_filters.CharFilter(help_text="e.g. `course.published`.")
    target_type = django_filters.CharFilter(help_text="e.g. `course`, `user`, `payment`.")
    target_id = django_filters.CharFilter(help_text="The changed row's id.")
    since = DateTimeFilter(
        field_name="at", lookup_expr="gte", help_text="Entries at or after (ISO 8601)."
    )
    until = DateTimeFilter(
        field_name="at", lookup_expr="lte", help_text="Entries at or before (ISO 8601)."
    )

    class Meta:
        model = AuditEntry
        fields = ["actor", "action", "target_type", "target_id", "since", "until"]
