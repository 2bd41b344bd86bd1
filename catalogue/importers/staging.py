"""PostgreSQL: a first import's valid rows staged by ``COPY`` while the file is still being validated.

The validation pass sends each batch of valid rows (already in their stored form) to two temporary tables
of the import's session: the variables' columns and their concept links (by position in the file and
index of the concept). The server files them on its own core while Python parses the rest of the file.
The write is then, per chunk of positions, one statement: ``INSERT … SELECT`` from the staging table,
``RETURNING`` the new ids straight into the ``INSERT`` of the concept links. Nothing is ever read back
into Python.

Guarantees: the staging tables are private to the connection, never hold rows of an invalid file
longer than the import (``drop`` runs whatever happened), and writing from them is all-or-nothing with the
rest of the import's transaction. Values are the ones ``Field.get_db_prep_save`` would send; the tables take
their column types from ``catalogue_variable`` itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection

from catalogue.models import Variable

_STAGED = "import_staged_variable"
_LINKS = "import_staged_link"
_CONCEPTS = "import_staged_concept"
#: Rows inserted per statement: between two, the job's "rows written" moves.
CHUNK_ROWS = 10_000


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


class StagedRows:
    """The staging tables of one import; ``columns`` are the ``Variable`` fields of a record, in its order."""

    def __init__(self, columns: Sequence[str]) -> None:
        self.columns = [_quote(Variable._meta.get_field(name).column) for name in columns]
        self.chunks: list[tuple[int, int]] = []  # (last position, rows) of each chunk of about CHUNK_ROWS rows
        self._rows_in_chunk = 0
        self._last_position = -1
        table = _quote(Variable._meta.db_table)
        with connection.cursor() as cursor:
            # Same column types as the real table, no constraints or indexes: cheap to fill.
            cursor.execute(f"DROP TABLE IF EXISTS {_STAGED}, {_LINKS}, {_CONCEPTS}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {_STAGED} AS SELECT {', '.join(self.columns)} FROM {table} WITH NO DATA"
            )
            cursor.execute(f"CREATE TEMPORARY TABLE {_LINKS} (pos integer NOT NULL, concept integer NOT NULL)")

    def add(self, rows: Sequence[Sequence[Any]], links: Sequence[tuple[int, int]]) -> None:
        """COPY a batch of rows (values in ``columns`` order, the position last) and their (position, concept
        index) links. Positions grow from batch to batch."""
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {_STAGED} ({', '.join(self.columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            with cursor.cursor.copy(f"COPY {_LINKS} (pos, concept) FROM STDIN") as copy:
                for link in links:
                    copy.write_row(link)
        self._last_position = rows[-1][-1]
        self._rows_in_chunk += len(rows)
        if self._rows_in_chunk >= CHUNK_ROWS:
            self._end_chunk()

    def _end_chunk(self) -> None:
        self.chunks.append((self._last_position, self._rows_in_chunk))
        self._rows_in_chunk = 0

    def write(self, *, dataset_id: int, concept_id_at: Sequence[int], progress: Callable[[int], None]) -> int:
        """Insert the staged rows into ``dataset_id`` and link their concepts (``concept_id_at[index]``); returns
        how many variables were created, telling ``progress`` after each chunk. Runs in the caller's transaction."""
        if self._rows_in_chunk:
            self._end_chunk()
        variable = _quote(Variable._meta.db_table)
        through = Variable.concepts.through
        through_table = _quote(through._meta.db_table)
        through_variable = _quote(through._meta.get_field("variable").column)
        through_concept = _quote(through._meta.get_field("concept").column)
        dataset_column = _quote(Variable._meta.get_field("dataset").column)
        position = _quote(Variable._meta.get_field("position").column)
        columns = ", ".join(self.columns)
        created = 0
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMPORARY TABLE {_CONCEPTS} (idx integer PRIMARY KEY, id bigint NOT NULL)")
            with cursor.cursor.copy(f"COPY {_CONCEPTS} (idx, id) FROM STDIN") as copy:
                for index, concept_id in enumerate(concept_id_at):
                    copy.write_row((index, concept_id))
            cursor.execute(f"CREATE INDEX ON {_STAGED} ({position})")
            cursor.execute(f"CREATE INDEX ON {_LINKS} (pos)")
            cursor.execute(f"ANALYZE {_STAGED}, {_LINKS}, {_CONCEPTS}")  # temporary tables are never auto-analysed
            start = -1
            for end, rows in self.chunks:
                cursor.execute(
                    f"WITH inserted AS ("
                    f" INSERT INTO {variable} ({dataset_column}, {columns})"
                    f" SELECT %s, {columns} FROM {_STAGED} WHERE {position} > %s AND {position} <= %s"
                    f" ORDER BY {position} RETURNING id, {position})"
                    f" INSERT INTO {through_table} ({through_variable}, {through_concept})"
                    f" SELECT inserted.id, concept.id FROM inserted"
                    f" JOIN {_LINKS} AS link ON link.pos = inserted.{position}"
                    f" JOIN {_CONCEPTS} AS concept ON concept.idx = link.concept",
                    [dataset_id, start, end],
                )
                created += rows
                progress(created)
                start = end
        return created

    def drop(self) -> None:
        """Drop the staging tables, unless the connection's transaction has already failed (then its rollback
        removes whatever this transaction created, and the next import's ``DROP … IF EXISTS`` the rest)."""
        from psycopg import pq  # PostgreSQL only

        if connection.connection is None:
            return
        if connection.connection.info.transaction_status == pq.TransactionStatus.INERROR:
            return
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {_STAGED}, {_LINKS}, {_CONCEPTS}")
