"""Data dictionary import: one variable per row of a CSV or XLSX file.

Columns (header row required, any order, case-insensitive; see ``COLUMNS``):

==============  ========  ==================================================================
name            required  unique within the file; the key re-imports match on
value_type      required  integer | decimal | text | date | boolean | categorical
label                     short human-readable label
description               free text
unit                      UCUM unit, e.g. ``g/dL``, ``10*9/L``
categories                ``code=label; code=label`` — required for categorical variables
completeness              % of non-missing values, 0 to 100 (``85``, ``85.5`` or ``85%``)
concepts                  ``vocabulary:code[=name]; …`` with vocabulary OMOP, LOINC, SNOMED,
                          ICD10 or HGNC, e.g. ``HGNC:FLT3; LOINC:718-7=Hemoglobin``
==============  ========  ==================================================================

Guarantees:

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
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from catalogue.importers.bulk_sql import insert_rows, prepared, update_rows
from catalogue.importers.readers import UnreadableFile, detect_format, file_size, iter_rows
from catalogue.models import Dataset, Variable
from catalogue.search.outbox import record_dataset_changes
from catalogue.services.common import lock_dataset, require_curator
from catalogue.services.concepts import ConceptRef, concept_ids_for, parse_concepts
from catalogue.services.distributions import upload_too_large_message
from catalogue.services.variables import variable_errors


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: str


COLUMNS: tuple[Column, ...] = (
    Column("name", True, "Variable name, unique within the file (re-imports match on it)."),
    Column("label", False, "Short human-readable label."),
    Column("description", False, "Free-text description."),
    Column("value_type", True, "integer, decimal, text, date, boolean or categorical."),
    Column("unit", False, "UCUM unit, e.g. g/dL or 10*9/L."),
    Column("categories", False, "code=label; code=label — required for categorical variables."),
    Column("completeness", False, "Percentage of non-missing values, 0 to 100."),
    Column("concepts", False, "vocabulary:code[=name]; … (OMOP, LOINC, SNOMED, ICD10, HGNC)."),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
REQUIRED_COLUMNS = tuple(column.name for column in COLUMNS if column.required)
BATCH_SIZE = 2000
MAX_REPORTED_ERRORS = 1000
_UPDATABLE = ("label", "description", "value_type", "unit", "categories", "completeness", "position")


@dataclass(frozen=True)
class RowError:
    """One problem in the file. ``row``/``column`` are None for whole-file problems."""

    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class DictionaryImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_error(self, row: int | None, column: str | None, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(row, column, message))

    def finish_errors(self) -> None:
        hidden = self.error_count - len(self.errors)
        if hidden > 0:
            self.errors.append(RowError(None, None, f"… and {hidden} more errors not listed."))

    def summary(self) -> str:
        if not self.ok:
            return f"Nothing imported: {self.error_count} error(s) in the file."
        return f"Created {self.created}, updated {self.updated}, unchanged {self.unchanged}, removed {self.removed}."


@dataclass(frozen=True)
class _Row:
    number: int
    name: str
    label: str
    description: str
    value_type: str
    unit: str
    categories: dict[str, str]
    completeness: Decimal | None
    concepts: tuple[ConceptRef, ...]


def _parse_categories(text: str) -> tuple[dict[str, str], list[str]]:
    categories: dict[str, str] = {}
    errors: list[str] = []
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        code, sep, label = (piece.strip() for piece in part.partition("="))
        if not sep or not code:
            errors.append(f"{part!r} is not code=label.")
        elif code in categories:
            errors.append(f"Category code {code!r} appears twice.")
        else:
            categories[code] = label
    return categories, errors


def _parse_completeness(text: str) -> tuple[Decimal | None, str | None]:
    if not text:
        return None, None
    try:
        value = Decimal(text.rstrip("%").strip().replace(",", "."))
    except InvalidOperation:
        return None, f"{text!r} is not a number; give a percentage between 0 and 100."
    if not value.is_finite():
        return None, f"{text!r} is not a number; give a percentage between 0 and 100."
    return value.quantize(Decimal("0.01")), None


def _header_indexes(values: list[str], result: DictionaryImportResult) -> dict[str, int] | None:
    header = [value.strip().lower().replace(" ", "_") for value in values]
    while header and header[-1] == "":
        header.pop()
    expected = f"Expected columns: {', '.join(COLUMN_NAMES)} (required: {', '.join(REQUIRED_COLUMNS)})."
    unknown = [name for name in header if name not in COLUMN_NAMES]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    for name in unknown:
        result.add_error(1, name or None, f"Unknown column {name!r}. {expected}")
    if missing:
        result.add_error(1, None, f"Missing required column(s): {', '.join(missing)}. {expected}")
    for name in repeated:
        result.add_error(1, name, f"Column {name!r} appears more than once.")
    if unknown or missing or repeated:
        return None
    return {name: index for index, name in enumerate(header)}


def _rows(
    rows: Iterator[tuple[int, list[str]]], *, short_rows_ok: bool, result: DictionaryImportResult
) -> Iterator[_Row]:
    """Parse and check each row, adding errors to ``result``; yields only valid rows.

    A CSV row with fewer values than the header is malformed; a spreadsheet row just ends early.
    """
    try:
        header = next(rows, None)
        if header is None:
            result.add_error(None, None, "The file is empty: it needs a header row and one row per variable.")
            return
        indexes = _header_indexes(header[1], result)
        if indexes is None:
            return
        width = len(indexes)
        for number, values in rows:
            if not any(values):
                continue  # blank lines between blocks are common in hand-edited sheets
            extra = [value for value in values[width:] if value]
            if extra or (not short_rows_ok and len(values) < width):
                result.add_error(number, None, f"This row has {len(values)} values but the header has {width} columns.")
                continue
            row = _parse_row(number, values, indexes, result)
            if row is not None:
                yield row
    except UnreadableFile as exc:
        result.add_error(exc.row, None, exc.message)


def _parse_row(number: int, values: list[str], indexes: dict[str, int], result: DictionaryImportResult) -> _Row | None:
    def cell(column: str) -> str:
        index = indexes.get(column)
        return values[index] if index is not None and index < len(values) else ""

    before = result.error_count
    categories, category_errors = _parse_categories(cell("categories"))
    completeness, completeness_error = _parse_completeness(cell("completeness"))
    concepts, concept_errors = parse_concepts(cell("concepts"))
    value_type = cell("value_type").lower()
    for message in category_errors:
        result.add_error(number, "categories", message)
    if completeness_error:
        result.add_error(number, "completeness", completeness_error)
    for message in concept_errors:
        result.add_error(number, "concepts", message)
    field_errors = variable_errors(
        name=cell("name"),
        value_type=value_type,
        label=cell("label"),
        unit=cell("unit"),
        categories=categories,
        completeness=completeness,
    )
    if category_errors:
        field_errors.pop("categories", None)
    for column, messages in field_errors.items():
        for message in messages:
            result.add_error(number, column, message)
    if result.error_count > before:
        return None
    return _Row(
        number=number,
        name=cell("name"),
        label=cell("label"),
        description=cell("description"),
        value_type=value_type,
        unit=cell("unit"),
        categories=categories,
        completeness=completeness,
        concepts=tuple(concepts),
    )


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


def _check_file(file: IO[bytes], filename: str) -> _CheckedFile:
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
    for row in _rows(raw_rows, short_rows_ok=checked.fmt == "xlsx", result=result):
        if row.name in names:
            message = f"Duplicate variable name {row.name!r} (first used in row {names[row.name]})."
            result.add_error(row.number, "name", message)
        else:
            names[row.name] = row.number
        for ref in row.concepts:
            checked.concepts.setdefault(ref.key, ref)
    if not names and result.ok:
        result.add_error(None, None, "The file has a header but no variables.")
    result.finish_errors()
    return checked


def _second_pass(file: IO[bytes], checked: _CheckedFile) -> Iterator[_Row]:
    """Pass 2 over a file that passed pass 1: the same rows again (from the CSV copy of an XLSX file)."""
    source, fmt = (checked.csv_copy, "csv") if checked.csv_copy is not None else (file, checked.fmt)
    again = DictionaryImportResult()
    yield from _rows(iter_rows(source, fmt), short_rows_ok=checked.fmt == "xlsx", result=again)
    if not again.ok:  # the file changed under us: roll the whole import back rather than skip rows
        raise RuntimeError(f"The dictionary file changed while it was imported: {again.errors[:1]}")


def validate_data_dictionary(file: IO[bytes], *, filename: str = "") -> DictionaryImportResult:
    """Check a dictionary file without writing anything (the errors a real import would report)."""
    checked = _check_file(file, filename)
    if checked.csv_copy is not None:
        checked.csv_copy.close()
    return checked.result


def import_data_dictionary(
    *, actor: AbstractBaseUser, dataset: Dataset, file: IO[bytes], filename: str = ""
) -> DictionaryImportResult:
    """Replace ``dataset``'s variables with those of the dictionary ``file`` (CSV or XLSX).

    Checks that ``actor`` curates the owning partner (``PermissionDenied``). Returns a result with
    ``errors`` and nothing written if the file has any error; otherwise the created/updated/
    unchanged/removed counts of the single transaction that applied it.
    """
    require_curator(actor=actor, partner=dataset.partner)
    checked = _check_file(file, filename)
    try:
        result = checked.result
        if not result.ok:
            return result
        with transaction.atomic():
            dataset = lock_dataset(dataset)
            concept_ids = concept_ids_for(checked.concepts.values())
            batch: list[_Row] = []
            for row in _second_pass(file, checked):
                batch.append(row)
                if len(batch) >= BATCH_SIZE:
                    _write_batch(dataset, batch, concept_ids, result)
                    batch = []
            if batch:
                _write_batch(dataset, batch, concept_ids, result)
            result.removed = _remove_missing(dataset, checked.names)
            record_dataset_changes([dataset.pk])
        return result
    finally:
        if checked.csv_copy is not None:
            checked.csv_copy.close()


def _write_batch(
    dataset: Dataset, batch: list[_Row], concept_ids: dict[tuple[str, str], int], result: DictionaryImportResult
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
        values = {
            "label": row.label,
            "description": row.description,
            "value_type": row.value_type,
            "unit": row.unit,
            "categories": row.categories,
            "completeness": row.completeness,
            "position": row.number - 1,
        }
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
