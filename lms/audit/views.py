"""The audit log's read API (admins only)."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from lms.common.pagination import NewestFirstCursorPagination
from lms.common.permissions import IsAdmin
from lms.common.schema import errors

from .filters import AuditEntryFilter
from .selectors import audit_entries_all
from .serializers import AuditEntrySerializer


class AuditLogPagination(NewestFirstCursorPagination):
    """Newest entries first, by the time they were written."""

    ordering = ("-at", "-id")


@extend_schema_view(
    list=extend_schema(
        summary="The audit log, newest first (admins only)",
        description="Append-only entries `{id, at, actor, action, target_type, target_id, "
        "changes, ip}`; `changes` maps each changed field to `[old, new]`. Filters: `actor` "
        "(user id), `action`, `target_type`, `target_id`, `since` and `until` (ISO 8601).",
        responses={200: AuditEntrySerializer(many=True), **errors(403)},
    )
)
class AuditLogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Who changed what: role and activation changes, publishing, payments, grading, ..."""

    permission_classes = [IsAdmin]
    serializer_class = AuditEntrySerializer
    pagination_class = AuditLogPagination
    filterset_class = AuditEntryFilter
    # The cursor holds the order: no `?ordering=` and no search beside it.
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        return audit_entries_all()
