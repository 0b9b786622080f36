"""Query expressions every app builds the same way."""

from django.db.models import Count, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def count_subquery(queryset: QuerySet, group_by: str) -> Coalesce:
    """`COUNT(*)` of `queryset` per outer row, as a correlated scalar subquery (0 when none).

    `queryset` filters on an `OuterRef`; `group_by` names the field it is correlated on.
    """
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
