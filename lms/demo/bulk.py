"""Bulk loading on PostgreSQL: INSERT ... SELECT with model defaults, index rebuilds."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Model


def insert_select(model: type[Model], given: dict[str, str], source: str, params=()) -> int:
    """`INSERT INTO model's table SELECT ... source ON CONFLICT DO NOTHING`; rows inserted.

    `given` maps columns to SQL expressions over `source`; every other column gets its
    model default (`now()` for auto timestamps).
    """
    columns, expressions, defaults = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.column in given:
            expressions.append(given[field.column])
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            expressions.append("now()")
        else:
            expressions.append("%s")
            defaults.append(field.get_db_prep_save(field.get_default(), connection))
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(expressions)} {source} ON CONFLICT DO NOTHING"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        # Generated rows can be generated again: no need to wait for each batch's WAL flush.
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute(sql, [*defaults, *params])
        return cursor.rowcount


def count(sql: str, params=()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


PLAIN_INDEXES = """
SELECT c.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x
JOIN pg_class c ON c.oid = x.indexrelid
WHERE x.indrelid = %s::regclass AND NOT x.indisunique AND NOT x.indisprimary
"""


@contextmanager
def bulk_load(model: type[Model]) -> Iterator[None]:
    """One transaction: plain (non-unique) indexes dropped, rows loaded, indexes rebuilt in one
    sorted pass each (millions of random-order index insertions cost more than the load).
    Interrupted, it rolls back: indexes and rows are as before."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # Django's FKs wait for COMMIT
        skip_foreign_key_checks(cursor)
        cursor.execute(PLAIN_INDEXES, [model._meta.db_table])
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        yield
        for _name, definition in indexes:
            cursor.execute(definition)


def skip_foreign_key_checks(cursor) -> None:
    """Every generated row references rows it was joined from: checking each one's foreign
    keys would double the load. Needs a superuser; without one the checks simply run."""
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if cursor.fetchone()[0]:
        cursor.execute("SET LOCAL session_replication_role = replica")
