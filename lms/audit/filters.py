"""Query filters of the audit log."""

import django_filters

from .models import AuditEntry


class AuditEntryFilter(django_filters.FilterSet):
    """`actor` (user id), `action`, `target_type`, `target_id`, and `since`/`until` on `at`."""

    actor = django_filters.NumberFilter(field_name="actor_id", min_value=1)
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lte")

    class Meta:
        model = AuditEntry
        fields = ["actor", "action", "target_type", "target_id", "since", "until"]
