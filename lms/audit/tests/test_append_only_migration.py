"""PostgreSQL: migration 0002 installs the append-only trigger; reversing it drops it."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from lms.audit.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)

WITHOUT = [("audit", "0001_initial")]
WITH = [("audit", "0002_append_only_trigger")]


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def trigger_installed() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = 'audit_auditentry_append_only'")
        return cursor.fetchone() is not None


def test_the_trigger_comes_and_goes_with_its_migration(requires_postgres):
    AuditEntry.objects.create(action="user.activated", target_type="user", target_id="1")
    assert trigger_installed()
    migrate(WITHOUT)
    try:
        assert not trigger_installed()
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditentry SET action = 'changed'")
    finally:
        migrate(WITH)
    assert trigger_installed()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'again'")
    assert AuditEntry.objects.get().action == "changed"
