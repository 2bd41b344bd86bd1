"""A dataset's data dictionary written back in the importer's own columns (``catalogue.importers.dictionary``),
as CSV (streamed) or XLSX, so that a downloaded file re-imports unchanged: the same names, types, units,
categories, completeness, concepts and translations.

Who may download is a page's rule (``catalogue.policy.can_download_dictionary``); this module only writes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db.models import Prefetch

from catalogue.importers.dictionary import COLUMN_NAMES
from catalogue.importers.dictionary_rows import TRANSLATION_COLUMNS
from catalogue.models import Concept, Dataset, Variable

_CHUNK = 500


def _categories_cell(categories: dict[str, str]) -> str:
    """``code=label`` pairs joined by the first of the importer's separators that no code or label contains
    (``; ``, then `` | ``, then new lines), so that its detection splits the cell back into the same pairs."""
    joiner = next(
        (
            joiner
            for separator, joiner in ((";", "; "), ("|", " | "))
            if not any(separator in code or separator in label for code, label in categories.items())
        ),
        "\n",
    )
    return joiner.join(f"{code}={label}" for code, label in categories.items())


def _concepts_cell(concepts: Iterable[Concept]) -> str:
    """``vocabulary:code=name`` separated by ``;``; a name the cell could not carry (with ``;`` or ``=``) is left
    out (re-importing keeps an existing concept's name)."""
    parts = []
    for concept in concepts:
        name = concept.name if concept.name and not {";", "="} & set(concept.name) else ""
        parts.append(f"{concept.vocabulary_id}:{concept.code}" + (f"={name}" if name else ""))
    return "; ".join(parts)


def _completeness_cell(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def dictionary_rows(dataset: Dataset) -> Iterator[dict[str, str]]:
    """One row per variable in the dataset's order (position, then name), keyed by the importer's columns."""
    variables = (
        Variable.objects.filter(dataset=dataset)
        .order_by("position", "name")
        .prefetch_related(Prefetch("concepts", queryset=Concept.objects.order_by("vocabulary_id", "code")))
    )
    for variable in variables.iterator(chunk_size=_CHUNK):
        row = {
            "name": variable.name,
            "label": variable.label,
            "description": variable.description,
            "value_type": variable.value_type,
            "unit": variable.unit,
            "categories": _categories_cell(variable.categories),
            "completeness": _completeness_cell(variable.completeness),
            "concepts": _concepts_cell(variable.concepts.all()),
        }
        for column, model_field, code, _ in TRANSLATION_COLUMNS:
            row[column] = getattr(variable, model_field).get(code, "")
        yield row


class _Line:
    """The file-like object ``csv.writer`` writes one line to, handed straight back to the response."""

    def write(self, value: str) -> str:
        return value


def dictionary_csv(dataset: Dataset) -> Iterator[str]:
    """The dictionary as CSV text, line by line (for a ``StreamingHttpResponse``), header first."""
    writer = csv.DictWriter(_Line(), fieldnames=COLUMN_NAMES, lineterminator="\r\n")  # type: ignore[arg-type]
    yield writer.writeheader()  # type: ignore[func-returns-value]
    for row in dictionary_rows(dataset):
        yield writer.writerow(row)


def dictionary_xlsx(dataset: Dataset) -> bytes:
    """The dictionary as an XLSX workbook with one ``variables`` sheet (openpyxl's write-only mode)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("variables")
    sheet.append(list(COLUMN_NAMES))
    for row in dictionary_rows(dataset):
        sheet.append([row[name] for name in COLUMN_NAMES])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
