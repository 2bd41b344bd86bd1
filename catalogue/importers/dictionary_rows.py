"""Reading and checking a data dictionary's rows: the documented columns, per-row parsing and the error list.

Functions over strings (the only query is one read of the vocabulary table per file);
``catalogue.importers.dictionary`` drives them over a file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.conf import settings
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from catalogue.importers.readers import UnreadableFile
from catalogue.models import Variable
from catalogue.services.concepts import ConceptRef, Vocabularies, parse_concepts
from catalogue.services.variables import variable_errors
from catalogue.translations import translation_errors


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: str | Promise  # shown in the reader's language


COLUMNS: tuple[Column, ...] = (
    Column("name", True, gettext_lazy("Variable name, unique within the file (re-imports match on it).")),
    Column("label", False, gettext_lazy("Short human-readable label.")),
    Column("description", False, gettext_lazy("Free-text description.")),
    Column("value_type", True, gettext_lazy("integer, decimal, text, date, boolean or categorical.")),
    Column("unit", False, gettext_lazy("UCUM unit, e.g. g/dL or 10*9/L.")),
    Column(
        "categories",
        False,
        gettext_lazy(
            "code=label (or code: label) pairs separated by ; or | or new lines — required for categorical variables."
        ),
    ),
    Column("completeness", False, gettext_lazy("Percentage of non-missing values, 0 to 100.")),
    Column(
        "concepts",
        False,
        gettext_lazy(
            "vocabulary:code[=name]; … (OMOP, LOINC, SNOMED, ICD10, HGNC, NCIT, MEDDRA, ATC, ICDO3M, ICDO3T, HPO, …)."
        ),
    ),
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
        format_lazy(
            gettext_lazy("Label in language '{code}' (ISO 639-1).")
            if field == "label_translations"
            else gettext_lazy("Description in language '{code}' (ISO 639-1)."),
            code=code,
        ),
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
    #: Problems that did not stop the import (unknown columns, ignored unless the import is strict).
    warnings: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_error(self, row: int | None, column: str | None, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(row, column, message))

    def add_warning(self, row: int | None, column: str | None, message: str) -> None:
        self.warnings.append(RowError(row, column, message))

    def finish_errors(self) -> None:
        hidden = self.error_count - len(self.errors)
        if hidden > 0:
            self.errors.append(
                RowError(None, None, gettext("… and %(count)s more errors not listed.") % {"count": hidden})
            )

    def summary(self) -> str:
        if not self.ok:
            return gettext("Nothing imported: %(count)s error(s) in the file.") % {"count": self.error_count}
        return gettext("Created %(created)s, updated %(updated)s, unchanged %(unchanged)s, removed %(removed)s.") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
        }


class Row(NamedTuple):
    """One valid row, parsed (immutable; a named tuple because a large file makes one per row)."""

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

    def variable_values(self) -> dict[str, Any]:
        """The ``Variable`` fields this row sets (besides its dataset and name): what an import writes and what
        its preview compares with the stored variable."""
        return {
            "label": self.label,
            "description": self.description,
            "label_translations": self.label_translations,
            "description_translations": self.description_translations,
            "value_type": self.value_type,
            "unit": self.unit,
            "categories": self.categories,
            "completeness": self.completeness,
            "position": self.number - 1,
        }


#: Separators between categories, in the order they are tried: a new line (one category per line of the
#: cell), a pipe (REDCap-style exports) and a semicolon (the template's form).
CATEGORY_SEPARATORS = ("\n", "|", ";")
_PAIR = re.compile(r"^\s*(?P<code>[^=:]+?)\s*(?P<marker>[=:])\s*(?P<label>.*?)\s*$", re.DOTALL)
# Another ``code=label`` (or ``code: label``) inside a label means the cell was split with the wrong
# separator, e.g. ``1=stage I, 2=stage II``: refuse it rather than store one garbled category.
_EMBEDDED_PAIR = re.compile(r"(?:^|[\s,/])[\w.+-]{1,20}\s*[=:](?![=])")
_CATEGORY_FORM = gettext_lazy("code=label pairs separated by ';', '|' or new lines (e.g. \"1=stage I | 2=stage II\")")


def _split_categories(text: str, separator: str) -> list[tuple[str, str]] | None:
    """The cell split on ``separator`` into (code, label) pairs, or None if a part is not one pair."""
    pairs: list[tuple[str, str]] = []
    for part in text.split(separator):
        if not part.strip():
            continue
        match = _PAIR.match(part)
        if match is None or _EMBEDDED_PAIR.search(match["label"]):
            return None
        if any(other in match["code"] for other in CATEGORY_SEPARATORS):
            return None  # "1=a|b; 2=c" split on "|" would make "b; 2" a code
        pairs.append((match["code"], match["label"]))
    return pairs


def _parse_categories(text: str) -> tuple[dict[str, str], list[str]]:
    """Parse a categories cell: ``code=label`` or ``code: label`` pairs separated by ``;``, ``|`` or new lines.

    The separator is detected: the first of ``CATEGORY_SEPARATORS`` present in the cell for which every
    part is exactly one pair. A cell no separator splits that way is an error, never a garbled category.
    """
    text = text.strip()
    if not text:
        return {}, []
    present = [separator for separator in CATEGORY_SEPARATORS if separator in text] or [";"]
    for separator in present:
        pairs = _split_categories(text, separator)
        if pairs is not None:
            break
    else:
        return {}, [
            gettext("%(cell)s cannot be read as categories: write %(form)s.")
            % {"cell": repr(_shorten(text)), "form": _CATEGORY_FORM}
        ]
    categories: dict[str, str] = {}
    errors: list[str] = []
    for code, label in pairs:
        if code in categories:
            errors.append(gettext("Category code %(code)s appears twice.") % {"code": repr(code)})
        else:
            categories[code] = label
    return categories, errors


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _parse_completeness(text: str) -> tuple[Decimal | None, str | None]:
    if not text:
        return None, None
    try:
        value = Decimal(text.rstrip("%").strip().replace(",", "."))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        return None, gettext("%(text)s is not a number; give a percentage between 0 and 100.") % {"text": repr(text)}
    return value.quantize(Decimal("0.01")), None


def _header_indexes(values: list[str], result: DictionaryImportResult, *, strict: bool) -> dict[str, int] | None:
    """Map each documented column to its index. Unknown columns are errors when ``strict``, otherwise
    warnings, and their values are ignored; missing required and repeated columns are always errors."""
    header = [value.strip().lower().replace(" ", "_") for value in values]
    while header and header[-1] == "":
        header.pop()
    expected = gettext(
        "Expected columns: %(columns)s, label_<language>, description_<language> (required: %(required)s)."
    ) % {"columns": ", ".join(_MAIN_COLUMN_NAMES), "required": ", ".join(REQUIRED_COLUMNS)}
    unknown = [name for name in header if name not in COLUMN_NAMES]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    repeated = sorted({name for name in header if name in COLUMN_NAMES and header.count(name) > 1})
    for name in dict.fromkeys(unknown):
        prefix, _, code = name.partition("_")
        if prefix in ("label", "description") and code:
            languages = ", ".join(TRANSLATED_LANGUAGES)
            message = gettext(
                "Unknown column %(name)s: %(code)s is not a supported language; use %(prefix)s_<code> with one of "
                "%(languages)s."
            ) % {"name": repr(name), "code": repr(code), "prefix": prefix, "languages": languages}
        else:
            message = gettext("Unknown column %(name)s. %(expected)s") % {"name": repr(name), "expected": expected}
        if strict:
            result.add_error(1, name or None, message)
        else:
            result.add_warning(1, name or None, gettext("%(message)s Its values were ignored.") % {"message": message})
    if missing:
        result.add_error(
            1,
            None,
            gettext("Missing required column(s): %(columns)s. %(expected)s")
            % {"columns": ", ".join(missing), "expected": expected},
        )
    for name in repeated:
        result.add_error(1, name, gettext("Column %(name)s appears more than once.") % {"name": repr(name)})
    if (strict and unknown) or missing or repeated:
        return None
    return {name: index for index, name in enumerate(header) if name in COLUMN_NAMES}


#: How many distinct cell texts the per-file memo of each of the categories, completeness and concepts parsers keeps.
_MEMO_MAX = 10_000


class _RowParser:
    """Parses the rows of one file under its header: the column positions are resolved once, and the cells
    whose parse is a pure function of their text (categories, completeness, concepts) are parsed once per
    distinct text (dictionaries repeat their category sets, percentages and concept mappings on many rows)."""

    def __init__(self, indexes: dict[str, int], width: int, vocabularies: Vocabularies) -> None:
        # Index -1 reads the empty cell ``parse`` appends to every row: an absent column reads as "".
        self.width = width
        self.at = {name: indexes.get(name, -1) for name in COLUMN_NAMES}
        self.translations = [
            (indexes[column], column, model_field, code, max_length)
            for column, model_field, code, max_length in TRANSLATION_COLUMNS
            if column in indexes
        ]
        self.vocabularies = vocabularies
        self.categories: dict[str, tuple[dict[str, str], list[str]]] = {}
        self.completeness: dict[str, tuple[Decimal | None, str | None]] = {}
        self.concepts: dict[str, tuple[tuple[ConceptRef, ...], list[str]]] = {}

    def _categories(self, text: str) -> tuple[dict[str, str], list[str]]:
        parsed = self.categories.get(text)
        if parsed is None:
            parsed = _parse_categories(text)
            if len(self.categories) < _MEMO_MAX:
                self.categories[text] = parsed
        return dict(parsed[0]), parsed[1]  # a row's own dict: rows never share a mutable value

    def _completeness(self, text: str) -> tuple[Decimal | None, str | None]:
        parsed = self.completeness.get(text)
        if parsed is None:
            parsed = _parse_completeness(text)
            if len(self.completeness) < _MEMO_MAX:
                self.completeness[text] = parsed
        return parsed

    def _concepts(self, text: str) -> tuple[tuple[ConceptRef, ...], list[str]]:
        parsed = self.concepts.get(text)
        if parsed is None:
            refs, errors = parse_concepts(text, self.vocabularies)
            parsed = (tuple(refs), errors)
            if len(self.concepts) < _MEMO_MAX:
                self.concepts[text] = parsed
        return parsed  # immutable: rows may share it

    def parse(self, number: int, values: list[str], result: DictionaryImportResult) -> Row | None:
        """The row's ``Row``, or None after adding its errors to ``result``."""
        if len(values) < self.width:
            values = values + [""] * (self.width - len(values))
        values.append("")
        at = self.at
        before = result.error_count
        categories, category_errors = self._categories(values[at["categories"]].strip())
        completeness, completeness_error = self._completeness(values[at["completeness"]])
        concepts, concept_errors = self._concepts(values[at["concepts"]])
        value_type = values[at["value_type"]].lower()
        for message in category_errors:
            result.add_error(number, "categories", message)
        if completeness_error:
            result.add_error(number, "completeness", completeness_error)
        for message in concept_errors:
            result.add_error(number, "concepts", message)
        label_translations: dict[str, str] = {}
        description_translations: dict[str, str] = {}
        for index, column, model_field, code, max_length in self.translations:
            text = values[index].strip()
            if text:
                for message in translation_errors({code: text}, max_length=max_length):
                    result.add_error(number, column, message)
                if model_field == "label_translations":
                    label_translations[code] = text
                else:
                    description_translations[code] = text
        name, label, unit = values[at["name"]], values[at["label"]], values[at["unit"]]
        field_errors = variable_errors(
            name=name, value_type=value_type, label=label, unit=unit, categories=categories, completeness=completeness
        )
        if field_errors:
            if category_errors:
                field_errors.pop("categories", None)
            for column, messages in field_errors.items():
                for message in messages:
                    result.add_error(number, column, message)
        if result.error_count > before:
            return None
        return Row(  # by position (a keyword call costs more, once per row): the order of ``Row``'s fields
            number,
            name,
            label,
            values[at["description"]],
            label_translations,
            description_translations,
            value_type,
            unit,
            categories,
            completeness,
            concepts,
        )


def check_rows(
    rows: Iterator[tuple[int, list[str]]], *, short_rows_ok: bool, result: DictionaryImportResult, strict: bool = False
) -> Iterator[Row]:
    """Parse and check each row, adding errors (and warnings) to ``result``; yields only valid rows.

    ``strict`` refuses a file with unknown columns; otherwise they are reported as warnings and ignored.

    A CSV row with fewer values than the header is malformed; a spreadsheet row just ends early.
    """
    try:
        header = next(rows, None)
        if header is None:
            result.add_error(None, None, gettext("The file is empty: it needs a header row and one row per variable."))
            return
        indexes = _header_indexes(header[1], result, strict=strict)
        if indexes is None:
            return
        width = len(header[1])
        while width and not header[1][width - 1].strip():
            width -= 1  # trailing empty header cells, as spreadsheets save them
        # One query per file, however many rows.
        parser = _RowParser(indexes, width, Vocabularies.load())
        for number, values in rows:
            if not any(values):
                continue  # blank lines between blocks are common in hand-edited sheets
            if len(values) != width and (
                (not short_rows_ok and len(values) < width) or any(value for value in values[width:])
            ):
                result.add_error(
                    number,
                    None,
                    gettext("This row has %(values)s values but the header has %(columns)s columns.")
                    % {"values": len(values), "columns": width},
                )
                continue
            row = parser.parse(number, values, result)
            if row is not None:
                yield row
    except UnreadableFile as exc:
        result.add_error(exc.row, None, exc.message)
