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
* **all or nothing**: the write runs in one transaction, under a row lock on the dataset so that two
  imports into the same dataset serialise;
* **the file replaces the dictionary**: variables are matched by name and updated in place (their ids
  survive), new names are created, and variables missing from the file are deleted ("removed N");
* **memory stays flat**: rows are streamed twice (validate, then write in batches of ``BATCH_SIZE``);
  only the names and the distinct concepts are held in memory, never all rows (an XLSX file is parsed
  once: pass 1 copies its rows to a temporary CSV file that pass 2 reads);
* the dataset is queued for re-indexing in the same transaction.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext

from audit.services import audit_record
from catalogue.importers.bulk_sql import insert_rows, prepared, refresh_planner_statistics, update_rows
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
from catalogue.models import Dataset, Variable
from catalogue.search.outbox import record_dataset_changes
from catalogue.services.common import lock_dataset, require_curator
from catalogue.services.concepts import ConceptRef, concept_ids_for
from catalogue.services.distributions import upload_too_large_message

BATCH_SIZE = 2000
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


@dataclass
class _CheckedFile:
    result: DictionaryImportResult
    fmt: str = ""
    names: dict[str, int] = field(default_factory=dict)  # variable name → row of its first use
    concepts: dict[tuple[str, str], ConceptRef] = field(default_factory=dict)
    csv_copy: IO[bytes] | None = None  # an XLSX file's rows as CSV, so the slow XLSX parse runs once


def _copy_as_csv(rows: Iterator[tuple[int, list[str]]], sink: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    text = io.TextIOWrapper(sink, encoding="utf-8", newline="")  # type: ignore[arg-type]
    writer = csv.writer(text)
    try:
        for number, values in rows:
            writer.writerow(values)
            yield number, values
    finally:
        text.flush()
        text.detach()


ImportProgress = Callable[[str, int], None]
"""Called with ("validating", rows read so far) during pass 1 and ("writing", variables written so far)
during pass 2 (first with 0, before the write transaction opens). It may raise to stop the import:
nothing is written (before the transaction, or by rolling it back)."""


def _check_file(
    file: IO[bytes], filename: str, progress: ImportProgress | None = None, *, strict: bool = False
) -> _CheckedFile:
    """Pass 1: read the whole file and check it, keeping only the names and the distinct concepts."""
    checked = _CheckedFile(DictionaryImportResult())
    result = checked.result
    size = file_size(file)
    if size > settings.HARMONY_MAX_UPLOAD_BYTES:
        result.add_error(None, None, upload_too_large_message(size))
        return checked
    try:
        checked.fmt = detect_format(file, filename)
    except UnreadableFile as exc:
        result.add_error(None, None, exc.message)
        return checked
    raw_rows = iter_rows(file, checked.fmt)
    if checked.fmt == "xlsx":
        checked.csv_copy = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 — closed by the caller
        raw_rows = _copy_as_csv(raw_rows, checked.csv_copy)
    names = checked.names
    for row in check_rows(raw_rows, short_rows_ok=checked.fmt == "xlsx", result=result, strict=strict):
        if progress is not None:
            progress("validating", row.number - 1)
        if row.name in names:
            message = gettext("Duplicate variable name %(name)s (first used in row %(row)s).") % {
                "name": repr(row.name),
                "row": names[row.name],
            }
            result.add_error(row.number, "name", message)
        else:
            names[row.name] = row.number
        for ref in row.concepts:
            checked.concepts.setdefault(ref.key, ref)
    if not names and result.ok:
        result.add_error(None, None, gettext("The file has a header but no variables."))
    result.finish_errors()
    return checked


def _second_pass(file: IO[bytes], checked: _CheckedFile) -> Iterator[Row]:
    """Pass 2 over a file that passed pass 1: the same rows again (from the CSV copy of an XLSX file)."""
    source, fmt = (checked.csv_copy, "csv") if checked.csv_copy is not None else (file, checked.fmt)
    again = DictionaryImportResult()
    yield from check_rows(iter_rows(source, fmt), short_rows_ok=checked.fmt == "xlsx", result=again)
    if not again.ok:  # the file changed under us: roll the whole import back rather than skip rows
        raise RuntimeError(f"The dictionary file changed while it was imported: {again.errors[:1]}")


def validate_data_dictionary(file: IO[bytes], *, filename: str = "", strict: bool = False) -> DictionaryImportResult:
    """Check a dictionary file without writing anything (the errors and warnings a real import would report)."""
    checked = _check_file(file, filename, strict=strict)
    if checked.csv_copy is not None:
        checked.csv_copy.close()
    return checked.result


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
    checked = _check_file(file, filename, progress, strict=strict)
    try:
        result = checked.result
        if not result.ok:
            return result
        if progress is not None:
            progress("writing", 0)
        with transaction.atomic():
            dataset = lock_dataset(dataset)
            concept_ids = concept_ids_for(checked.concepts.values())
            batch: list[Row] = []
            for row in _second_pass(file, checked):
                batch.append(row)
                if len(batch) >= BATCH_SIZE:
                    _write_batch(dataset, batch, concept_ids, result)
                    batch = []
                    if progress is not None:
                        progress("writing", result.created + result.updated + result.unchanged)
            if batch:
                _write_batch(dataset, batch, concept_ids, result)
            result.removed = _remove_missing(dataset, checked.names)
            if result.created >= ANALYZE_AFTER_CREATED:
                refresh_planner_statistics(Variable, Variable.concepts.through)
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
        if checked.csv_copy is not None:
            checked.csv_copy.close()


def _write_batch(
    dataset: Dataset, batch: list[Row], concept_ids: dict[tuple[str, str], int], result: DictionaryImportResult
) -> None:
    existing = {
        variable.name: variable
        for variable in Variable.objects.filter(dataset=dataset, name__in=[row.name for row in batch]).only(
            "pk", "name", *_UPDATABLE
        )
    }
    Through = Variable.concepts.through
    current_links: dict[int, set[int]] = {}
    for variable_id, concept_id in Through.objects.filter(
        variable_id__in=[variable.pk for variable in existing.values()]
    ).values_list("variable_id", "concept_id"):
        current_links.setdefault(variable_id, set()).add(concept_id)

    to_create: list[tuple[Variable, set[int]]] = []
    to_update: list[Variable] = []
    relink: dict[int, set[int]] = {}
    for row in batch:
        wanted_concepts = {concept_ids[ref.key] for ref in row.concepts}
        values = row.variable_values()
        variable = existing.get(row.name)
        if variable is None:
            to_create.append((Variable(dataset=dataset, name=row.name, **values), wanted_concepts))
            continue
        changed = any(getattr(variable, name) != value for name, value in values.items())
        links_changed = current_links.get(variable.pk, set()) != wanted_concepts
        if changed:
            for name, value in values.items():
                setattr(variable, name, value)
            to_update.append(variable)
        if links_changed:
            relink[variable.pk] = wanted_concepts
        if changed or links_changed:
            result.updated += 1
        else:
            result.unchanged += 1

    new_ids = _insert_rows(dataset, [variable for variable, _ in to_create])
    result.created += len(to_create)
    if to_update:
        _update_rows(to_update)
    if relink:
        Through.objects.filter(variable_id__in=list(relink)).delete()
    links = [(new_ids[variable.name], concept_id) for variable, wanted in to_create for concept_id in wanted]
    links += [(variable_id, concept_id) for variable_id, wanted in relink.items() for concept_id in wanted]
    _insert_links(links)


def _insert_links(links: list[tuple[int, int]]) -> None:
    through = Variable.concepts.through
    fields = [through._meta.get_field("variable"), through._meta.get_field("concept")]
    insert_rows(through, fields, links)


_INSERTED = ("dataset", "name", *_UPDATABLE)


def _insert_rows(dataset: Dataset, variables: list[Variable]) -> dict[str, int]:
    """INSERT new variables and return their ids by name, read back with one SELECT per batch
    (portable: SQLite cannot return ids from a multi-row INSERT through the cursor API)."""
    if not variables:
        return {}
    fields = [Variable._meta.get_field(name) for name in _INSERTED]
    insert_rows(Variable, fields, [prepared(variable, fields) for variable in variables])
    names = [variable.name for variable in variables]
    return dict(Variable.objects.filter(dataset=dataset, name__in=names).values_list("name", "pk"))


def _update_rows(variables: list[Variable]) -> None:
    fields = [Variable._meta.get_field(name) for name in _UPDATABLE]
    update_rows(Variable, fields, [[*prepared(variable, fields), variable.pk] for variable in variables])


def _remove_missing(dataset: Dataset, names: dict[str, int]) -> int:
    stale = [
        pk
        for pk, name in Variable.objects.filter(dataset=dataset).values_list("pk", "name").iterator(chunk_size=5000)
        if name not in names
    ]
    for start in range(0, len(stale), 500):
        Variable.objects.filter(pk__in=stale[start : start + 500]).delete()
    return len(stale)
