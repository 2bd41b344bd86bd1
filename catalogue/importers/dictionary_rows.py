"""Reading and checking a data dictionary's rows: the documented columns, per-row parsing and the error list.

Pure functions over strings (no database); ``catalogue.importers.dictionary`` drives them over a file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings

from catalogue.importers.readers import UnreadableFile
from catalogue.models import Variable
from catalogue.services.concepts import ConceptRef, parse_concepts
from catalogue.services.variables import variable_errors
from catalogue.translations import translation_errors


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
# The main label and description are English; each other content language has an optional column of each.
TRANSLATED_LANGUAGES = tuple(code for code in settings.CONTENT_LANGUAGES if code != "en")
#: (column, model field, language code, longest text) of each translation column.
TRANSLATION_COLUMNS: tuple[tuple[str, str, str, int | None], ...] = tuple(
    (
        f"{field}_{code}",
        f"{field}_translations",
        code,
        Variable._meta.get_field("label").max_length if field == "label" else None,
    )
    for field in ("label", "description")
    for code in TRANSLATED_LANGUAGES
)
COLUMNS += tuple(
    Column(
        column,
        False,
        f"{'Label' if field == 'label_translations' else 'Description'} in language {code!r} (ISO 639-1).",
    )
    for column, field, code, _ in TRANSLATION_COLUMNS
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
_MAIN_COLUMN_NAMES = COLUMN_NAMES[: -len(TRANSLATION_COLUMNS) or None]
REQUIRED_COLUMNS = tuple(column.name for column in COLUMNS if column.required)
MAX_REPORTED_ERRORS = 1000


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
class Row:
    number: int
    name: str
    label: str
    description: str
    label_translations: dict[str, str]
    description_translations: dict[str, str]
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
    expected = (
        f"Expected columns: {', '.join(_MAIN_COLUMN_NAMES)}, label_<language>, description_<language> "
        f"(required: {', '.join(REQUIRED_COLUMNS)})."
    )
    unknown = [name for name in header if name not in COLUMN_NAMES]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    for name in unknown:
        prefix, _, code = name.partition("_")
        if prefix in ("label", "description") and code:
            languages = ", ".join(TRANSLATED_LANGUAGES)
            message = (
                f"Unknown column {name!r}: {code!r} is not a supported language; "
                f"use {prefix}_<code> with one of {languages}."
            )
        else:
            message = f"Unknown column {name!r}. {expected}"
        result.add_error(1, name or None, message)
    if missing:
        result.add_error(1, None, f"Missing required column(s): {', '.join(missing)}. {expected}")
    for name in repeated:
        result.add_error(1, name, f"Column {name!r} appears more than once.")
    if unknown or missing or repeated:
        return None
    return {name: index for index, name in enumerate(header)}


def check_rows(
    rows: Iterator[tuple[int, list[str]]], *, short_rows_ok: bool, result: DictionaryImportResult
) -> Iterator[Row]:
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


def _parse_row(number: int, values: list[str], indexes: dict[str, int], result: DictionaryImportResult) -> Row | None:
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
    translations: dict[str, dict[str, str]] = {"label_translations": {}, "description_translations": {}}
    for column, model_field, code, max_length in TRANSLATION_COLUMNS:
        text = cell(column).strip() if column in indexes else ""
        if text:
            for message in translation_errors({code: text}, max_length=max_length):
                result.add_error(number, column, message)
            translations[model_field][code] = text
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
    return Row(
        number=number,
        name=cell("name"),
        label=cell("label"),
        description=cell("description"),
        label_translations=translations["label_translations"],
        description_translations=translations["description_translations"],
        value_type=value_type,
        unit=cell("unit"),
        categories=categories,
        completeness=completeness,
        concepts=tuple(concepts),
    )
