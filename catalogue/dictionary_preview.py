"""What importing a data dictionary file would do, shown to the curator before anything is written.

Built from the importer's own entry points, never a copy of its rules: ``validate_data_dictionary`` for the
errors and warnings, ``readers.iter_rows`` and ``dictionary_rows.check_rows`` for the parsed rows. Created,
updated, unchanged and removed are decided as the importer's write does (a variable is matched by name; it is
updated when a stored value or its set of concepts differs; a name missing from the file is removed).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import IO

from catalogue.importers.dictionary import DictionaryImportResult, validate_data_dictionary
from catalogue.importers.dictionary_rows import COLUMN_NAMES, Row, check_rows
from catalogue.importers.readers import detect_format, iter_rows
from catalogue.models import Dataset, Variable

FIRST_ROWS = 5
#: How many names of each kind of change the page lists (the counts are always complete).
LISTED_NAMES = 20


@dataclass
class DictionaryPreview:
    result: DictionaryImportResult
    columns: list[str] = field(default_factory=list)  # the file's header, as written
    unknown_columns: list[str] = field(default_factory=list)
    first_rows: list[Row] = field(default_factory=list)
    row_count: int = 0
    vocabularies: list[tuple[str, int]] = field(default_factory=list)  # vocabulary → concept mentions
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.result.ok


def _stored_state(dataset: Dataset) -> dict[str, tuple[dict[str, object], set[tuple[str, str]]]]:
    """Each existing variable's importable values and concept keys, by name."""
    state: dict[str, tuple[dict[str, object], set[tuple[str, str]]]] = {}
    links: dict[int, set[tuple[str, str]]] = {}
    through = Variable.concepts.through.objects.filter(variable__dataset=dataset)
    for variable_id, vocabulary, code in through.values_list("variable_id", "concept__vocabulary_id", "concept__code"):
        links.setdefault(variable_id, set()).add((vocabulary, code))
    for variable in Variable.objects.filter(dataset=dataset):
        values = {
            "label": variable.label,
            "description": variable.description,
            "label_translations": variable.label_translations,
            "description_translations": variable.description_translations,
            "value_type": variable.value_type,
            "unit": variable.unit,
            "categories": variable.categories,
            "completeness": variable.completeness,
            "position": variable.position,
        }
        state[variable.name] = (values, links.get(variable.pk, set()))
    return state


def preview_dictionary(
    dataset: Dataset, file: IO[bytes], *, filename: str = "", strict: bool = False
) -> DictionaryPreview:
    """The preview of importing ``file`` into ``dataset``; with errors, only ``result`` is filled (as the
    import would report them). Reads the file twice; writes nothing."""
    preview = DictionaryPreview(validate_data_dictionary(file, filename=filename, strict=strict))
    if not preview.ok:
        return preview
    fmt = detect_format(file, filename)
    header = next(iter_rows(file, fmt), (1, []))[1]
    preview.columns = [name.strip() for name in header if name.strip()]
    preview.unknown_columns = [name for name in preview.columns if name.lower() not in COLUMN_NAMES]
    stored = _stored_state(dataset)
    vocabularies: Counter[str] = Counter()
    seen: set[str] = set()
    for row in check_rows(iter_rows(file, fmt), short_rows_ok=fmt == "xlsx", result=DictionaryImportResult()):
        preview.row_count += 1
        if len(preview.first_rows) < FIRST_ROWS:
            preview.first_rows.append(row)
        vocabularies.update(ref.vocabulary for ref in row.concepts)
        seen.add(row.name)
        if row.name not in stored:
            preview.created.append(row.name)
            continue
        values, concepts = stored[row.name]
        if values != row.variable_values() or concepts != {ref.key for ref in row.concepts}:
            preview.updated.append(row.name)
        else:
            preview.unchanged += 1
    preview.removed = sorted(name for name in stored if name not in seen)
    preview.vocabularies = sorted(vocabularies.items(), key=lambda item: (-item[1], item[0]))
    file.seek(0)
    return preview
