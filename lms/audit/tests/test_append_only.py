"""Nothing changes or deletes an audit entry: the model, the Django admin and PostgreSQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from lms.audit.models import AppendOnlyError, AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def written():
    return AuditEntry.objects.create(action="user.role_changed", target_type="user", target_id="3")


def test_saving_an_existing_entry_is_refused(written):
    written.action = "something.else"
    with pytest.raises(AppendOnlyError):
        written.save()
    assert AuditEntry.objects.get().action == "user.role_changed"


def test_deleting_an_entry_is_refused(written):
    with pytest.raises(AppendOnlyError):
        written.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=written.pk).update(action="x")
    assert AuditEntry.objects.count() == 1


def test_postgres_trigger_refuses_raw_update_and_delete(requires_postgres, written):
    for sql in (
        "UPDATE audit_auditentry SET action = 'x'",
        "DELETE FROM audit_auditentry",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEntry.objects.get().action == "user.role_changed"


def test_the_django_admin_shows_entries_read_only(client, admin, written):
    client.force_login(admin)
    base = "/admin/audit/auditentry/"
    assert client.get(base).status_code == 200
    page = client.get(f"{base}{written.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.get(f"{base}add/").status_code == 403
    assert client.post(f"{base}{written.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"{base}{written.pk}/change/", {"action": "x"}).status_code == 403
    assert AuditEntry.objects.get().action == "user.role_changed"
