"""The database backend's index rows, and writing them in bulk.

A search document becomes one row of :class:`~catalogue.search.models.DatasetEntry` or
:class:`~catalogue.search.models.VariableEntry` (plus a dataset's :class:`FacetValue` rows).
On PostgreSQL the rows are streamed with ``COPY`` into a temporary staging table and moved into
the index with one ``INSERT … SELECT`` per batch that computes every row's weighted ``tsvector``
in the database (``setweight(to_tsvector(primary), 'A') || setweight(to_tsvector(secondary), 'B')``),
so no per-row SQL expression is compiled in Python. Elsewhere (SQLite) ``bulk_create`` writes them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

from catalogue.search.backends.base import display_document
from catalogue.search.documents import Document
from catalogue.search.embeddings import embedded_text, passage_vectors, text_hash
from catalogue.search.models import DatasetEntry, FacetValue, VariableEntry

WRITE_BATCH_SIZE = 1000


def pad(text: str) -> str:
    """Space-padded text, so ``contains(" word ")`` is a whole-word match."""
    return f" {text} "


def dataset_row(document: Document) -> dict[str, Any]:
    """The index row of a dataset document (field attname → value), without its vector."""
    return {
        "dataset_id": document["id"],
        "status": document["status"],
        "partner_id": document["partner_id"],
        "patient_count": document["patient_count"],
        "updated_at": document["updated_at"],
        "exact": document["exact"],
        "primary": pad(document["primary"]),
        "secondary": pad(document["secondary"]),
        "digest": document["digest"],
        "document": display_document(document),
    }


def variable_row(document: Document) -> dict[str, Any]:
    """The index row of a variable document (field attname → value), without its vector."""
    return {
        "variable_id": document["id"],
        "dataset_id": document["dataset_id"],
        "status": document["status"],
        "partner_id": document["partner_id"],
        "patient_count": document["patient_count"],
        "updated_at": document["updated_at"],
        "value_type": document["value_type"],
        "exact": document["exact"],
        "primary": pad(document["primary"]),
        # The dataset's diseases (context) are searched as secondary text here: weight B, below the label's A.
        "secondary": pad(" ".join(part for part in (document["secondary"], document.get("context", "")) if part)),
        "concept_keys": "|" + "|".join(document["concept_keys"]) + "|",
        "digest": document["digest"],
        "document": display_document(document),
    }


def facet_rows(documents: Sequence[Document]) -> list[dict[str, Any]]:
    """The facet values of dataset documents, each value once per dataset and facet."""
    return [
        {"dataset_id": d["id"], "facet": facet, "value": value}
        for d in documents
        for facet, values in d["facets"].items()
        for value in dict.fromkeys(values)
    ]


def with_text_hashes(rows: list[dict[str, Any]], documents: Sequence[Document]) -> list[dict[str, Any]]:
    """Set each row's ``embedding_hash``, embedding the batch's texts the cache does not hold yet."""
    passage_vectors(embedded_text(document) for document in documents)
    for row, document in zip(rows, documents, strict=True):
        text = embedded_text(document)
        row["embedding_hash"] = text_hash(text) if text else ""
    return rows


def write_rows(model: type[DatasetEntry] | type[VariableEntry] | type[FacetValue], rows: list[dict[str, Any]]) -> None:
    """Insert index rows (dicts of field attname → value, all with the same keys) of ``model``.

    Entry rows get their search vector on PostgreSQL. Runs inside the caller's transaction.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], batch_size=WRITE_BATCH_SIZE)
        return
    _copy_rows(model, list(rows[0]), rows, with_vector=model is not FacetValue)


def _copy_rows(model: type[Model], columns: list[str], rows: list[dict[str, Any]], *, with_vector: bool) -> None:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(model._meta.get_field(column).column) for column in columns)
    json_columns = {column for column in columns if model._meta.get_field(column).get_internal_type() == "JSONField"}
    values = [[json.dumps(row[c]) if c in json_columns else row[c] for c in columns] for row in rows]
    with connection.cursor() as cursor:
        if not with_vector:
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            return
        # Same column types as the index table, no constraints or indexes; dropped with the transaction.
        staging = quote(f"staging_{model._meta.db_table}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {staging} ON COMMIT DROP AS SELECT {names} FROM {table} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY {staging} ({names}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({names}, vector) SELECT {names}, "
            "setweight(to_tsvector('simple'::regconfig, \"primary\"), 'A') || "
            "setweight(to_tsvector('simple'::regconfig, secondary), 'B') "
            f"FROM {staging}"
        )
        cursor.execute(f"TRUNCATE {staging}")
