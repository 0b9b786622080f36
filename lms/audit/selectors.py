"""Which audit entries a caller may read (admins: all of them)."""

from django.db.models import QuerySet

from .models import AuditEntry


def audit_entries_all() -> QuerySet[AuditEntry]:
    """Every entry; the actor is read from its snapshot columns, so no join is needed."""
    return AuditEntry.objects.all()
