"""Data dictionary import: one variable per row of a CSV or XLSX file.

Columns (header row required, any order, case-insensitive; see ``COLUMNS``):

==============  ========  ==================================================================
name            required  unique within the file; the key re-imports match on
value_type      required  integer | decimal | text | date | boolean | categorical
label                     short human-readable label
description               free text
unit                      UCUM unit, e.g. ``g/dL``, ``10*9/L``
categories                ``code=label`` (or ``code: label``) pairs separated by ``;``, ``|`` or new
                          lines (detected) — required for categorical variables
completeness              % of non-missing values, 0 to 100 (``85``, ``85.5`` or ``85%``)
concepts                  ``vocabulary:code[=name]; …`` with a vocabulary of the ``Vocabulary`` table
                          (``catalogue/data/vocabularies.csv``), e.g. ``HGNC:FLT3; NCIT:C3171``
label_<lang>              the label in another language, ``<lang>`` one of
                          ``settings.CONTENT_LANGUAGES`` but ``en`` (``label_de``, ``label_fr`` …)
description_<lang>        the description in that language (``description_de`` …)
==============  ========  ==================================================================

Guarantees:

* **unknown columns** are reported as warnings and their values ignored; ``strict=True`` refuses them;
* **validate first, then write**: the whole file is read and checked before anything is committed
  (a first import on PostgreSQL writes as it checks, inside the transaction; see below);
  every error is reported with its row (the header is row 1, as in a spreadsheet) and column;
  the first ``MAX_REPORTED_ERRORS`` are listed, followed by a count of the rest;
* **each row is parsed once**: the validation pass keeps every valid row, already in the form the database
  stores, in a temporary spool file (in memory up to ``SPOOL_IN_MEMORY_BYTES``, then on disk) or sends it
  to the database at once (a first import on PostgreSQL); the write never reads the upload again;
* **all or nothing**: the write runs in one transaction, under a row lock on the dataset so that two
  imports into the same dataset serialise;
* **the file replaces the dictionary**: variables are matched by name and updated in place (their ids
  survive), new names are created, and variables missing from the file are deleted ("removed N");
* **memory stays flat**: rows are streamed, written in batches of ``BATCH_SIZE``; only what validation
  needs (the names, for duplicates) and the distinct concepts are held in memory, never all rows;
* **a first import writes at the floor**: into a dataset without variables every row is new, so there is
  nothing to look up: the batches are written as they are (``COPY`` on PostgreSQL, ``executemany`` on
  SQLite), the new ids are read back once (by position) and the concept links written from them, the same
  statements as the floor the benchmark measures (``catalogue.importers.dictionary_write``). On PostgreSQL
  it is one pass inside the write transaction: each batch is sent by ``COPY`` as soon as it is valid, so the
  server files it while the next one is parsed, and a file with an error rolls back what was sent (a job's
  progress stays visible: it is written through a connection of its own). On SQLite (one writer at a time:
  progress written inside the transaction would show only at its end) the file is validated first, outside
  it. A re-import matches each batch by name and updates, creates and removes;
* the dataset is queued for re-indexing in the same transaction.
"""

from __future__ import annotations

import json
import pickle
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import IO

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils.translation import gettext

from audit.services import audit_record
from catalogue.importers.bulk_sql import refresh_planner_statistics
from catalogue.importers.dictionary_rows import (
    COLUMN_NAMES,
    COLUMNS,
    REQUIRED_COLUMNS,
    Column,
    DictionaryImportResult,
    Row,
    RowError,
    check_rows,
)
from catalogue.importers.dictionary_write import (
    Batch,
    ConceptIndexes,
    NewVariables,
    Record,
    write_changes,
)
from catalogue.importers.readers import UnreadableFile, detect_format, file_size, iter_rows
from catalogue.models import Concept, Dataset, Variable
from catalogue.search.outbox import record_dataset_changes
from catalogue.services.common import lock_dataset, require_curator
from catalogue.services.concepts import ConceptRef, concept_ids_for
from catalogue.services.distributions import upload_too_large_message

BATCH_SIZE = 2000
SPOOL_IN_MEMORY_BYTES = 1024 * 1024
PROGRESS_EVERY = 1000  # rows between two progress calls of the validation pass
_MEMO_MAX = 10_000  # distinct category sets whose stored text one import remembers
__all__ = [
    "COLUMNS",
    "COLUMN_NAMES",
    "REQUIRED_COLUMNS",
    "Column",
    "DictionaryImportResult",
    "RowError",
    "import_data_dictionary",
    "validate_data_dictionary",
]


def _json_text(value: dict[str, str]) -> str:
    # What ``JSONField.get_db_prep_save`` sends (``json.dumps`` with the default encoder; PostgreSQL parses the
    # text into jsonb exactly as it parses psycopg's ``Jsonb`` dump of it).
    return json.dumps(value) if value else "{}"


@dataclass
class _CheckedFile:
    result: DictionaryImportResult
    dataset_id: int | None = None  # the dataset the records are for
    names: dict[str, int] = field(default_factory=dict)  # variable name → row of its first use
    concepts: dict[tuple[str, str], int] = field(default_factory=dict)  # distinct concept → its index
    concept_refs: list[ConceptRef] = field(default_factory=list)  # by index
    spool: IO[bytes] | None = None  # pickled batches of records, written while the file is valid so far
    rows: int = 0  # valid rows handed to the sink
    # The stored text of each distinct set of categories (files repeat a few sets on many rows).
    categories_text: dict[tuple[tuple[str, str], ...], str] = field(default_factory=dict)

    def record(self, row: Row) -> tuple[Record, ConceptIndexes]:
        """The row's record, with ``row.variable_values()`` in their stored form (``_stored_values`` turns them
        back; the import tests read every field back, and preview and re-import compare them), and its concepts'
        indexes (new concepts are remembered)."""
        concepts = self.concepts
        indexes: dict[int, None] = {}  # a concept named twice in a row is linked once
        for ref in row.concepts:
            key = (ref.vocabulary, ref.code)
            index = concepts.get(key)
            if index is None:
                index = concepts[key] = len(self.concept_refs)
                self.concept_refs.append(ref)
            indexes[index] = None
        categories = row.categories
        if categories:
            pairs = tuple(categories.items())
            categories_text = self.categories_text.get(pairs)
            if categories_text is None:
                categories_text = _json_text(categories)
                if len(self.categories_text) < _MEMO_MAX:
                    self.categories_text[pairs] = categories_text
        else:
            categories_text = "{}"
        completeness = row.completeness
        # In the order of INSERTED.
        record = (
            self.dataset_id,
            row.name,
            row.label,
            row.description,
            _json_text(row.label_translations) if row.label_translations else "{}",
            _json_text(row.description_translations) if row.description_translations else "{}",
            row.value_type,
            row.unit,
            categories_text,
            None if completeness is None else str(completeness),
            row.number - 1,  # the position, as ``Row.variable_values`` gives it
        )
        return record, tuple(indexes)

    def spool_batch(self, batch: Batch) -> None:
        assert self.spool is not None
        pickle.dump(batch, self.spool, protocol=pickle.HIGHEST_PROTOCOL)

    def batches(self) -> Iterator[Batch]:
        """The spooled records again, in batches of at most ``BATCH_SIZE``."""
        if self.spool is None:
            return
        self.spool.seek(0)
        while True:
            try:
                yield pickle.load(self.spool)  # our own spool file, written by this import just before
            except EOFError:
                return

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()


ImportProgress = Callable[[str, int], None]
"""Called with ("validating", rows read so far) during pass 1 and ("writing", variables written so far)
during pass 2 (first with 0, before the write transaction opens; a first import on PostgreSQL validates and
writes in one pass inside the transaction, then reports "writing" once, with every row). It may raise to stop
the import: nothing is written (before the transaction, or by rolling it back)."""


def _check_file(
    file: IO[bytes],
    filename: str,
    progress: ImportProgress | None = None,
    *,
    strict: bool = False,
    records_for: int | None = None,
    sink: Callable[[Batch], None] | None = None,
) -> _CheckedFile:
    """Pass 1: read the whole file and check it, keeping the names and the distinct concepts. With
    ``records_for`` (a dataset's id), the records of the valid rows for that dataset go, batch by batch while
    no error has been found, to ``sink`` (by default the spool that the write reads)."""
    checked = _CheckedFile(DictionaryImportResult(), dataset_id=records_for)
    result = checked.result
    size = file_size(file)
    if size > settings.HARMONY_MAX_UPLOAD_BYTES:
        result.add_error(None, None, upload_too_large_message(size))
        return checked
    try:
        fmt = detect_format(file, filename)
    except UnreadableFile as exc:
        result.add_error(None, None, exc.message)
        return checked
    if records_for is not None and sink is None:
        checked.spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115 — closed by close()
        sink = checked.spool_batch
    names = checked.names
    records: list[Record] = []
    concept_indexes: list[ConceptIndexes] = []
    record = checked.record
    batch_size = BATCH_SIZE
    validated = 0
    # Once per row: locals and plain attribute reads (``result.ok`` is a property call).
    for row in check_rows(iter_rows(file, fmt), short_rows_ok=fmt == "xlsx", result=result, strict=strict):
        number, name = row.number, row.name
        validated = number - 1
        if progress is not None and validated % PROGRESS_EVERY == 0:
            progress("validating", validated)
        first_use = names.setdefault(name, number)
        if first_use != number:
            message = gettext("Duplicate variable name %(name)s (first used in row %(row)s).") % {
                "name": repr(name),
                "row": first_use,
            }
            result.add_error(number, "name", message)
        if sink is not None and not result.error_count:  # after the first error nothing will be written
            stored, indexes = record(row)
            records.append(stored)
            concept_indexes.append(indexes)
            if len(records) >= batch_size:
                sink((records, concept_indexes))
                checked.rows += len(records)
                records, concept_indexes = [], []
    if sink is not None and records and result.ok:
        sink((records, concept_indexes))
        checked.rows += len(records)
    if progress is not None:
        progress("validating", validated)
    if not names and result.ok:
        result.add_error(None, None, gettext("The file has a header but no variables."))
    result.finish_errors()
    return checked


def validate_data_dictionary(file: IO[bytes], *, filename: str = "", strict: bool = False) -> DictionaryImportResult:
    """Check a dictionary file without writing anything (the errors and warnings a real import would report)."""
    return _check_file(file, filename, strict=strict).result


# Below this many new rows the deferred key checks are cheap whatever the plan.
ANALYZE_AFTER_CREATED = 5_000


def import_data_dictionary(
    *,
    actor: AbstractBaseUser,
    dataset: Dataset,
    file: IO[bytes],
    filename: str = "",
    progress: ImportProgress | None = None,
    strict: bool = False,
) -> DictionaryImportResult:
    """Replace ``dataset``'s variables with those of the dictionary ``file`` (CSV or XLSX).

    Checks that ``actor`` curates the owning partner (``PermissionDenied``). Returns a result with
    ``errors`` and nothing written if the file has any error; otherwise the created/updated/
    unchanged/removed counts of the single transaction that applied it. ``progress`` (a background
    job's) is told how far each pass got. Unknown columns are ``warnings`` and ignored, or errors if
    ``strict``.
    """
    require_curator(actor=actor, partner=dataset.partner)
    if connection.vendor == "postgresql":
        streamed = _first_import_streamed(actor, dataset, file, filename, progress, strict)
        if streamed is not None:
            return streamed
    checked = _check_file(file, filename, progress, strict=strict, records_for=dataset.pk)
    try:
        result = checked.result
        if not result.ok:
            return result
        if progress is not None:
            progress("writing", 0)
        with transaction.atomic():
            dataset = lock_dataset(dataset)
            concept_id_at = _concept_ids(checked)
            if Variable.objects.filter(dataset=dataset).exists():
                write_changes(
                    dataset, checked.batches(), checked.names, concept_id_at, result, partial(_written, progress)
                )
            else:
                checked.names.clear()  # only a re-import needs them again (to remove the rest): free them now
                new = NewVariables(dataset.pk)
                for batch in checked.batches():
                    new.write(batch)
                    if progress is not None:
                        progress("writing", new.created)
                new.link(concept_id_at)
                result.created = new.created
            _record(actor, dataset, filename, result, concepts=len(concept_id_at))
        return result
    finally:
        checked.close()


def _first_import_streamed(
    actor: AbstractBaseUser,
    dataset: Dataset,
    file: IO[bytes],
    filename: str,
    progress: ImportProgress | None,
    strict: bool,
) -> DictionaryImportResult | None:
    """PostgreSQL, a dataset without variables: validate and write in one pass, inside the write transaction.

    Each batch of valid rows goes by ``COPY`` straight into the variables while the next one is parsed (the
    server files the rows on its own core), until the first error; a file with errors rolls all of it back.
    Progress stays visible meanwhile (a job's progress goes through a connection of its own on PostgreSQL).
    The dataset stays locked during validation, so no other import can fill it in between. Returns None,
    having written nothing, when the dataset has variables (a re-import takes the validate-then-write path).
    """
    with transaction.atomic():
        dataset = lock_dataset(dataset)
        if Variable.objects.filter(dataset=dataset).exists():
            return None
        new = NewVariables(dataset.pk)
        checked = _check_file(file, filename, progress, strict=strict, records_for=dataset.pk, sink=new.write)
        result = checked.result
        if not result.ok:
            transaction.set_rollback(True)  # the rows written before the first error
            return result
        checked.names.clear()
        if progress is not None:
            progress("writing", new.created)
        concept_id_at = _concept_ids(checked)
        new.link(concept_id_at)
        result.created = new.created
        _record(actor, dataset, filename, result, concepts=len(concept_id_at))
        return result


def _concept_ids(checked: _CheckedFile) -> list[int]:
    """The id of each of the file's concepts, by index (missing concepts are created)."""
    concept_ids = concept_ids_for(checked.concept_refs)
    return [concept_ids[ref.key] for ref in checked.concept_refs]


def _record(
    actor: AbstractBaseUser, dataset: Dataset, filename: str, result: DictionaryImportResult, *, concepts: int
) -> None:
    """The end of every import's transaction: planner statistics, the outbox and the audit event."""
    if result.created >= ANALYZE_AFTER_CREATED:
        refresh_planner_statistics({Variable: result.created, Concept: concepts})
    record_dataset_changes([dataset.pk])
    # One event per import, not per row: the file and what it did.
    audit_record(
        actor=actor,
        action="dictionary.import",
        obj=dataset,
        after={
            "filename": filename,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "removed": result.removed,
        },
    )


def _written(progress: ImportProgress | None, rows: int) -> None:
    if progress is not None:
        progress("writing", rows)
