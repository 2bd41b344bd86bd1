"""Plain parameterised SQL for the large writes of an import, where the ORM's per-row work dominates.

Values are converted exactly as the ORM converts them (``Field.get_db_prep_save``); table and column
names come from the models' ``_meta`` and are quoted by the backend. Only used inside the importer's
transaction, for rows it has already validated.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Field, Model


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def prepared(instance: Model, fields: Sequence[Field]) -> list[Any]:
    """The database values of ``fields`` of an unsaved or saved instance."""
    return [field.get_db_prep_save(getattr(instance, field.attname), connection) for field in fields]


def insert_rows(model: type[Model], fields: Sequence[Field], rows: Sequence[Sequence[Any]]) -> None:
    """INSERT ``rows`` (prepared values, in ``fields`` order): ``COPY … FROM STDIN`` on PostgreSQL,
    ``executemany`` of one prepared statement elsewhere (SQLite runs it in a C loop)."""
    if not rows:
        return
    columns = ", ".join(_quote(field.column) for field in fields)
    if connection.vendor == "postgresql":
        # COPY streams the rows: no per-statement parsing or placeholder substitution at all.
        copy_sql = f"COPY {_quote(model._meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {_quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})", rows)


def update_rows(model: type[Model], fields: Sequence[Field], rows: Sequence[Sequence[Any]]) -> None:
    """UPDATE by primary key: each row is the prepared values of ``fields`` followed by the pk.

    On PostgreSQL a COPY into a staging table and one joined UPDATE; elsewhere ``executemany`` of one
    statement. Either way no ``bulk_update`` CASE … WHEN expressions built in Python per field and row.
    """
    if not rows:
        return
    if connection.vendor == "postgresql":
        _update_rows_by_copy(model, fields, rows)
        return
    assignments = ", ".join(f"{_quote(field.column)} = %s" for field in fields)
    sql = f"UPDATE {_quote(model._meta.db_table)} SET {assignments} WHERE {_quote(model._meta.pk.column)} = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _update_rows_by_copy(model: type[Model], fields: Sequence[Field], rows: Sequence[Sequence[Any]]) -> None:
    """PostgreSQL: COPY the new values into a temporary table, then one UPDATE … FROM joins them in."""
    table = _quote(model._meta.db_table)
    pk = _quote(model._meta.pk.column)
    staging = _quote(f"import_staging_{model._meta.db_table}")
    columns = [_quote(field.column) for field in fields]
    with connection.cursor() as cursor:
        # Same column types as the real table, no constraints; dropped when the import's transaction ends.
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {staging} ON COMMIT DROP AS "
            f"SELECT {', '.join(columns)}, {pk} FROM {table} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY {staging} ({', '.join(columns)}, {pk}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        assignments = ", ".join(f"{column} = staged.{column}" for column in columns)
        cursor.execute(f"UPDATE {table} SET {assignments} FROM {staging} AS staged WHERE {table}.{pk} = staged.{pk}")
        cursor.execute(f"TRUNCATE {staging}")


def refresh_planner_statistics(added: dict[type[Model], int]) -> None:
    """On PostgreSQL, ANALYZE (inside the current transaction) each model's table that the planner believes
    holds fewer rows than the transaction adds to it (``added``: model → at most that many new rows).

    Django's foreign keys are DEFERRABLE INITIALLY DEFERRED, so the checks of every row an import
    inserted run at commit. Their plans come from the table statistics: on a table that was empty
    or small when last analysed, PostgreSQL plans a sequential scan per check, and 300,000 checks
    over a 100,000-row table took more than half an hour instead of seconds (measured on a fresh
    test database). ANALYZE sees the transaction's own uncommitted rows, so running it before the
    commit gives the checks index scans. A table whose statistics already count at least as many rows as
    are being added is at most twice the size the planner assumes: its plans stay index scans, and it is
    not analysed again (ANALYZE samples 30,000 rows whatever the import's size; autovacuum keeps the
    statistics current afterwards). Only the referenced tables need it (the checks look up the variables
    and concepts the new rows point to), not the large link table.
    """
    if connection.vendor != "postgresql":
        return
    stale = []
    with connection.cursor() as cursor:
        for model, rows in added.items():
            # reltuples is -1 for a table never analysed (PostgreSQL 14+), 0 for one analysed empty.
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
            if cursor.fetchone()[0] < rows:
                stale.append(_quote(model._meta.db_table))
        if stale:
            cursor.execute(f"ANALYZE {', '.join(stale)}")
