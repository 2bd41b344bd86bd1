"""The write side of a data dictionary import: the records' stored layout and the statements that put them
into the database (``catalogue.importers.dictionary`` drives them inside its transaction).

A first import (``NewVariables``) inserts every record as it is and its concept links after one read of the
new ids: the same statements the benchmark's floor runs. A re-import (``write_changes``) matches each batch by
name, updates, creates and removes.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db import connection

from catalogue.importers.bulk_sql import insert_rows, update_rows
from catalogue.importers.dictionary_rows import DictionaryImportResult
from catalogue.models import Dataset, Variable

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
INSERTED = ("dataset", "name", *_UPDATABLE)

#: A valid row as the write inserts it: the stored values of ``INSERTED`` (the dataset's id, the name, then
#: ``_UPDATABLE`` with JSON as text and the completeness as the decimal's text).
Record = tuple[Any, ...]
_NAME, _VALUES, _POSITION = 1, slice(2, None), 2 + _UPDATABLE.index("position")
#: The indexes of a row's concepts in the import's list of distinct concepts.
ConceptIndexes = tuple[int, ...]
#: A spooled batch: its records and, in the same order, their concept indexes.
Batch = tuple[list[Record], list[ConceptIndexes]]


_LINK_CHUNK = 20_000
_TABLE = connection.ops.quote_name(Variable._meta.db_table)


def _column(name: str) -> str:
    return connection.ops.quote_name(Variable._meta.get_field(name).column)


class NewVariables:
    """A first import's write (the dataset has no variables): every batch of records is inserted as it is
    (``COPY`` / ``executemany``), with no lookups; then the ids are read back once, by position (unique within
    a file), for the concept links. Memory: 8 bytes per concept link until ``link``."""

    def __init__(self, dataset_id: int) -> None:
        self.dataset_id = dataset_id
        self.created = 0
        self.fields = [Variable._meta.get_field(name) for name in INSERTED]
        self.link_positions, self.link_concepts = array("i"), array("i")  # 4 bytes each: far fewer rows than 2**31
        self.last_position = 0

    def write(self, batch: Batch) -> None:
        records, concept_indexes = batch
        insert_rows(Variable, self.fields, records)
        for record, indexes in zip(records, concept_indexes, strict=True):
            for index in indexes:
                self.link_positions.append(record[_POSITION])
                self.link_concepts.append(index)
        self.last_position = records[-1][_POSITION]
        self.created += len(records)

    def link(self, concept_id_at: list[int]) -> None:
        """Insert the concept links of every record written (``concept_id_at``: concept index → id)."""
        id_at = array("q", bytes(8 * (self.last_position + 1)))
        with connection.cursor() as cursor:
            # One plain read of (position, id) pairs: no model rows, no per-row conversion.
            cursor.execute(
                f"SELECT {_column('position')}, {_column('id')} FROM {_TABLE} WHERE {_column('dataset')} = %s",
                [self.dataset_id],
            )
            while chunk := cursor.fetchmany(10_000):
                for position, pk in chunk:
                    id_at[position] = pk
        positions, concepts = self.link_positions, self.link_concepts
        for start in range(0, len(positions), _LINK_CHUNK):
            end = start + _LINK_CHUNK
            _insert_links(
                [
                    (id_at[position], concept_id_at[index])
                    for position, index in zip(positions[start:end], concepts[start:end], strict=True)
                ]
            )


def write_changes(
    dataset: Dataset,
    batches: Iterable[Batch],
    names: dict[str, int],
    concept_id_at: list[int],
    result: DictionaryImportResult,
    progress: Callable[[int], None],
) -> None:
    """A re-import: each batch is matched by name with the stored variables (``progress`` is told the rows
    written after each); then the variables whose names are not in ``names`` are removed."""
    for records, concept_indexes in batches:
        _write_batch(dataset, records, concept_indexes, concept_id_at, result)
        progress(result.created + result.updated + result.unchanged)
    result.removed = _remove_missing(dataset, names)


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
    fields = [Variable._meta.get_field(name) for name in INSERTED]
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
