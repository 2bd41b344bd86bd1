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
* **validate first, then write**: the whole file is read and checked before anything is written;
  every error is reported with its row (the header is row 1, as in a spreadsheet) and column;
  the first ``MAX_REPORTED_ERRORS`` are listed, followed by a count of the rest;
* **each row is parsed once**: the validation pass keeps every valid row, already in the form the database
  stores, in a temporary spool file (in memory up to ``SPOOL_IN_MEMORY_BYTES``, then on disk); the write
  reads the spool, never the upload again;
* **all or nothing**: the write runs in one transaction, under a row lock on the dataset so that two
  imports into the same dataset serialise;
* **the file replaces the dictionary**: variables are matched by name and updated in place (their ids
  survive), new names are created, and variables missing from the file are deleted ("removed N");
* **memory stays flat**: rows are streamed, written in batches of ``BATCH_SIZE``; only what validation
  needs (the names, for duplicates) and the distinct concepts are held in memory, never all rows;
* **a first import writes at the floor**: into a dataset without variables every row is new, so there is
  nothing to look up: the spooled batches are written as they are (``COPY`` on PostgreSQL, ``executemany``
  on SQLite), the new ids are read back once (by position) and the concept links written from them, the
  same statements as the floor the benchmark measures. A re-import matches each batch by name and updates,
  creates and removes;
* the dataset is queued for re-indexing in the same transaction.
"""

from __future__ import annotations

import json
import pickle
import tempfile
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils.translation import gettext

from audit.services import audit_record
from catalogue.importers.bulk_sql import insert_rows, refresh_planner_statistics, update_rows
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
_UPDATABLE = (
    "label",
    "description",
    "label_translations",
    "description_translations",
    "value_type",
    "unit",
    "categories",
    "completeness",
    "position",
)
_JSON_FIELDS = frozenset({"label_translations", "description_translations", "categories"})
_INSERTED = ("dataset", "name", *_UPDATABLE)
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

#: A valid row as the write inserts it: the stored values of ``_INSERTED`` (the dataset's id, the name, then
#: ``_UPDATABLE`` with JSON as text and the completeness as the decimal's text).
Record = tuple[Any, ...]
_NAME, _VALUES, _POSITION = 1, slice(2, None), 2 + _UPDATABLE.index("position")
#: The indexes of a row's concepts in ``_CheckedFile.concept_refs``.
ConceptIndexes = tuple[int, ...]
#: A spooled batch: its records and, in the same order, their concept indexes.
Batch = tuple[list[Record], list[ConceptIndexes]]


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
    rows: int = 0  # valid rows spooled
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
        # In the order of _INSERTED.
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
during pass 2 (first with 0, before the write transaction opens). It may raise to stop the import:
nothing is written (before the transaction, or by rolling it back)."""


def _check_file(
    file: IO[bytes],
    filename: str,
    progress: ImportProgress | None = None,
    *,
    strict: bool = False,
    spool_for: int | None = None,
) -> _CheckedFile:
    """Pass 1: read the whole file and check it, keeping the names, the distinct concepts and (with
    ``spool_for``, a dataset's id) the records of the valid rows for that dataset, spooled for the write while
    no error has been found."""
    checked = _CheckedFile(DictionaryImportResult(), dataset_id=spool_for)
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
    if spool_for is not None:
        checked.spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115 — closed by close()
    names = checked.names
    records: list[Record] = []
    concept_indexes: list[ConceptIndexes] = []
    validated = 0
    for row in check_rows(iter_rows(file, fmt), short_rows_ok=fmt == "xlsx", result=result, strict=strict):
        validated = row.number - 1
        if progress is not None and validated % PROGRESS_EVERY == 0:
            progress("validating", validated)
        if row.name in names:
            message = gettext("Duplicate variable name %(name)s (first used in row %(row)s).") % {
                "name": repr(row.name),
                "row": names[row.name],
            }
            result.add_error(row.number, "name", message)
        else:
            names[row.name] = row.number
        if checked.spool is not None and result.ok:  # after the first error nothing will be written
            record, indexes = checked.record(row)
            records.append(record)
            concept_indexes.append(indexes)
            if len(records) >= BATCH_SIZE:
                _spool(checked, (records, concept_indexes))
                records, concept_indexes = [], []
    if records and result.ok:
        _spool(checked, (records, concept_indexes))
    if progress is not None:
        progress("validating", validated)
    if not names and result.ok:
        result.add_error(None, None, gettext("The file has a header but no variables."))
    result.finish_errors()
    return checked


def _spool(checked: _CheckedFile, batch: Batch) -> None:
    assert checked.spool is not None
    pickle.dump(batch, checked.spool, protocol=pickle.HIGHEST_PROTOCOL)
    checked.rows += len(batch[0])


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
    checked = _check_file(file, filename, progress, strict=strict, spool_for=dataset.pk)
    try:
        result = checked.result
        if not result.ok:
            return result
        if progress is not None:
            progress("writing", 0)
        with transaction.atomic():
            dataset = lock_dataset(dataset)
            concept_ids = concept_ids_for(checked.concept_refs)
            concept_id_at = [concept_ids[ref.key] for ref in checked.concept_refs]
            if Variable.objects.filter(dataset=dataset).exists():
                _write_changes(dataset, checked, concept_id_at, progress)
            else:
                checked.names.clear()  # only a re-import needs them again (to remove the rest): free them now
                _write_new(dataset, checked, concept_id_at, progress)
            if result.created >= ANALYZE_AFTER_CREATED:
                refresh_planner_statistics({Variable: result.created, Concept: len(concept_id_at)})
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
        return result
    finally:
        checked.close()


_LINK_CHUNK = 20_000
_TABLE = connection.ops.quote_name(Variable._meta.db_table)


def _column(name: str) -> str:
    return connection.ops.quote_name(Variable._meta.get_field(name).column)


def _write_new(
    dataset: Dataset, checked: _CheckedFile, concept_id_at: list[int], progress: ImportProgress | None
) -> None:
    """A first import (the dataset has no variables): every record is inserted as it is, with no lookups;
    the ids are read back once, by position (unique within a file), for the concept links."""
    result = checked.result
    fields = [Variable._meta.get_field(name) for name in _INSERTED]
    link_positions, link_concepts = array("i"), array("i")  # 4 bytes each: a file has far fewer rows
    last_position = 0
    for records, concept_indexes in checked.batches():
        insert_rows(Variable, fields, records)
        for record, indexes in zip(records, concept_indexes, strict=True):
            for index in indexes:
                link_positions.append(record[_POSITION])
                link_concepts.append(index)
        last_position = records[-1][_POSITION]
        result.created += len(records)
        if progress is not None:
            progress("writing", result.created)
    id_at = array("q", bytes(8 * (last_position + 1)))
    with connection.cursor() as cursor:
        # One plain read of (position, id) pairs: no model rows, no per-row conversion.
        cursor.execute(
            f"SELECT {_column('position')}, {_column('id')} FROM {_TABLE} WHERE {_column('dataset')} = %s",
            [dataset.pk],
        )
        while chunk := cursor.fetchmany(10_000):
            for position, pk in chunk:
                id_at[position] = pk
    for start in range(0, len(link_positions), _LINK_CHUNK):
        end = start + _LINK_CHUNK
        _insert_links(
            [
                (id_at[position], concept_id_at[index])
                for position, index in zip(link_positions[start:end], link_concepts[start:end], strict=True)
            ]
        )


def _write_changes(
    dataset: Dataset, checked: _CheckedFile, concept_id_at: list[int], progress: ImportProgress | None
) -> None:
    """A re-import: each batch is matched by name with the stored variables; then the names the file no
    longer has are removed."""
    result = checked.result
    for records, concept_indexes in checked.batches():
        _write_batch(dataset, records, concept_indexes, concept_id_at, result)
        if progress is not None:
            progress("writing", result.created + result.updated + result.unchanged)
    result.removed = _remove_missing(dataset, checked.names)


def _stored_values(record: Record) -> dict[str, Any]:
    """The record's values as the model holds them (what the comparison with a stored variable needs)."""
    values = dict(zip(_UPDATABLE, record[_VALUES], strict=True))
    for name in _JSON_FIELDS:
        values[name] = json.loads(values[name])
    if values["completeness"] is not None:
        values["completeness"] = Decimal(values["completeness"])
    return values


def _write_batch(
    dataset: Dataset,
    records: list[Record],
    concept_indexes: list[ConceptIndexes],
    concept_id_at: list[int],
    result: DictionaryImportResult,
) -> None:
    existing = {
        variable.name: variable
        for variable in Variable.objects.filter(dataset=dataset, name__in=[record[_NAME] for record in records]).only(
            "pk", "name", *_UPDATABLE
        )
    }
    Through = Variable.concepts.through
    current_links: dict[int, set[int]] = {}
    for variable_id, concept_id in Through.objects.filter(
        variable_id__in=[variable.pk for variable in existing.values()]
    ).values_list("variable_id", "concept_id"):
        current_links.setdefault(variable_id, set()).add(concept_id)

    to_create: list[Record] = []
    create_links: list[tuple[str, set[int]]] = []  # (name, concept ids) of each variable created
    to_update: list[list[Any]] = []
    relink: dict[int, set[int]] = {}
    for record, indexes in zip(records, concept_indexes, strict=True):
        wanted_concepts = {concept_id_at[index] for index in indexes}
        variable = existing.get(record[_NAME])
        if variable is None:
            to_create.append(record)
            create_links.append((record[_NAME], wanted_concepts))
            continue
        values = _stored_values(record)
        changed = any(getattr(variable, name) != value for name, value in values.items())
        links_changed = current_links.get(variable.pk, set()) != wanted_concepts
        if changed:
            to_update.append([*record[_VALUES], variable.pk])
        if links_changed:
            relink[variable.pk] = wanted_concepts
        if changed or links_changed:
            result.updated += 1
        else:
            result.unchanged += 1

    new_ids = _insert_rows(dataset, to_create)
    result.created += len(to_create)
    if to_update:
        update_rows(Variable, [Variable._meta.get_field(name) for name in _UPDATABLE], to_update)
    if relink:
        Through.objects.filter(variable_id__in=list(relink)).delete()
    links = [(new_ids[name], concept_id) for name, wanted in create_links for concept_id in wanted]
    links += [(variable_id, concept_id) for variable_id, wanted in relink.items() for concept_id in wanted]
    _insert_links(links)


def _insert_links(links: list[tuple[int, int]]) -> None:
    through = Variable.concepts.through
    fields = [through._meta.get_field("variable"), through._meta.get_field("concept")]
    insert_rows(through, fields, links)


def _insert_rows(dataset: Dataset, records: list[Record]) -> dict[str, int]:
    """INSERT new variables and return their ids by name, read back with one SELECT per batch
    (portable: SQLite cannot return ids from a multi-row INSERT through the cursor API)."""
    if not records:
        return {}
    fields = [Variable._meta.get_field(name) for name in _INSERTED]
    insert_rows(Variable, fields, records)
    names = [record[_NAME] for record in records]
    return dict(Variable.objects.filter(dataset=dataset, name__in=names).values_list("name", "pk"))


def _remove_missing(dataset: Dataset, names: dict[str, int]) -> int:
    stale = [
        pk
        for pk, name in Variable.objects.filter(dataset=dataset).values_list("pk", "name").iterator(chunk_size=5000)
        if name not in names
    ]
    for start in range(0, len(stale), 500):
        Variable.objects.filter(pk__in=stale[start : start + 500]).delete()
    return len(stale)
