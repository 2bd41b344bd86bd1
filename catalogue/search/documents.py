"""Rendering the search documents of datasets and variables from the catalogue tables.

Both backends index exactly these dictionaries, so what is searchable, filterable and
countable is decided here, once. A dataset document carries its facet values; each of its
variable documents carries a copy of them (and of the dataset's status, partner and patient
count), so variables can be filtered, counted and permission-checked without a join.

Text fields come in three analysed flavours (see :mod:`catalogue.search.analysis`):
``exact`` (the title or variable name, folded and spelling-normalised but not stemmed, for the
exact-match boost and suggestions), ``primary`` (what a hit is mainly about: title and keywords,
or variable name, label and concepts) and ``secondary`` (descriptions, category codes and labels),
both stemmed; a variable also has ``context``, its dataset's disease names and codes, searched
with a low weight. Display fields keep the original text for results and highlights.
A variable's document does not carry its dataset's title as searchable text: a word in a title
would otherwise match every variable of the dataset.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from django.db.models import Count, Prefetch
from django.utils import timezone

from catalogue.models import Consent, Dataset, DiseaseArea, Variable
from catalogue.search.analysis import DEFAULT_LANGUAGE, LANGUAGES, analyse, exact_form
from catalogue.search.facets import collection_decades, patient_range
from catalogue.search.text import normalise

Document = dict[str, Any]

VARIABLE_CHUNK_SIZE = 2000
MAX_VARIABLE_TERMS = 2000


def analyse_translations(translations: Any) -> str:
    """The indexed terms of a ``{language code: text}`` field, each text stemmed in its own language.

    Codes in code order (a fixed order keeps the digest stable); a language without a stemmer is
    analysed as English, the default.
    """
    if not isinstance(translations, dict):
        return ""
    return " ".join(
        analyse(str(translations[code]), language=code if code in LANGUAGES else DEFAULT_LANGUAGE)
        for code in sorted(translations)
        if translations[code]
    )


def _joined(*analysed: str) -> str:
    return " ".join(part for part in analysed if part)


def with_digest(document: Document) -> Document:
    """Add ``digest``: a short hash of the document, so ``search_check`` can spot stale index entries.

    Hashes ``repr``: documents hold only strings, numbers, lists and dicts built in a fixed key
    order, so equal content gives an equal digest (and ``repr`` is several times cheaper than JSON).
    """
    document["digest"] = hashlib.blake2b(repr(document).encode(), digest_size=8).hexdigest()
    return document


def concept_key(vocabulary: str, code: str) -> str:
    """The normalised key of a concept, as matched by feasibility search ("HGNC:NPM1" → "hgnc npm1")."""
    return normalise(vocabulary, code)


class DiseaseLineage:
    """Disease codes with their ancestors (a DLBCL cohort also counts under NHL), loaded once."""

    def __init__(self) -> None:
        self._parent: dict[int, int | None] = {}
        self._code: dict[int, str] = {}
        self._name: dict[int, str] = {}
        for pk, code, name, parent_id in DiseaseArea.objects.values_list("pk", "code", "name", "parent_id"):
            self._parent[pk], self._code[pk], self._name[pk] = parent_id, code, name

    def codes(self, disease_ids: Iterable[int]) -> list[str]:
        found: list[str] = []
        for disease_id in disease_ids:
            node: int | None = disease_id
            while node is not None and self._code[node] not in found:
                found.append(self._code[node])
                node = self._parent[node]
        return found


def chunked(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _datasets_queryset(dataset_ids: Iterable[int] | None, *, with_counts: bool = True):
    queryset = Dataset.objects.select_related("partner").prefetch_related(
        "disease_areas",
        "data_types",
        Prefetch(
            "consents",
            queryset=Consent.objects.filter(withdrawn_at__isnull=True)
            .select_related("permission")
            .prefetch_related("modifiers__term"),
        ),
    )
    if with_counts:
        queryset = queryset.annotate(variable_count=Count("variables", distinct=True))
    if dataset_ids is not None:
        queryset = queryset.filter(pk__in=list(dataset_ids))
    return queryset.order_by("pk")


def render_dataset(
    dataset: Dataset,
    *,
    lineage: DiseaseLineage,
    today: datetime.date | None = None,
    variable_terms: Iterable[str] = (),
    variable_count: int | None = None,
) -> Document:
    """The search document of one dataset (fetched through :func:`_datasets_queryset`); ``variable_count``
    defaults to the queryset's annotation."""
    today = today or timezone.localdate()
    partner = dataset.partner
    diseases = list(dataset.disease_areas.all())
    data_types = list(dataset.data_types.all())
    consents = list(dataset.consents.all())
    permissions = sorted({c.permission.short_code for c in consents if c.permission.short_code})
    modifiers = sorted({m.term.short_code for c in consents for m in c.modifiers.all() if m.term.short_code})
    facets: dict[str, list[str]] = {
        "disease": lineage.codes(d.pk for d in diseases),
        "country": [partner.country],
        "partner": [partner.slug],
        "partner_kind": [partner.kind],
        "data_type": [t.code for t in data_types],
        "data_model": [dataset.data_model],
        "duo_permission": permissions,
        "duo_modifier": modifiers,
        "patients": [bucket] if (bucket := patient_range(dataset.patient_count)) else [],
        "period": collection_decades(dataset.collection_start, dataset.collection_end, today=today),
    }
    return with_digest(
        {
            "id": dataset.pk,
            "slug": dataset.slug,
            "title": dataset.title,
            "description": dataset.description,
            "status": dataset.status,
            "partner_id": partner.pk,
            "partner_name": partner.name,
            "partner_short_name": partner.short_name,
            "patient_count": dataset.patient_count,
            "sample_count": dataset.sample_count,
            "collection_start": dataset.collection_start.isoformat() if dataset.collection_start else None,
            "collection_end": dataset.collection_end.isoformat() if dataset.collection_end else None,
            "updated_at": dataset.updated_at.isoformat(),
            "variable_count": getattr(dataset, "variable_count", 0) if variable_count is None else variable_count,
            "diseases": [{"code": d.code, "name": d.name} for d in diseases],
            "facets": facets,
            "exact": exact_form(dataset.title),
            "primary": _joined(
                analyse(dataset.title, dataset.keywords or []), analyse_translations(dataset.title_translations)
            ),
            "secondary": _joined(
                analyse_translations(dataset.description_translations),
                analyse(
                    dataset.description,
                    partner.name,
                    partner.short_name,
                    [d.name for d in diseases],
                    [d.code for d in diseases],
                    [t.name for t in data_types],
                    # What the dataset contains, so "AML FLT3 NPM1" finds the AML cohorts that measure them.
                    list(variable_terms),
                ),
            ),
        }
    )


def iter_dataset_documents(dataset_ids: Iterable[int] | None = None, *, chunk_size: int = 200) -> Iterator[Document]:
    """Dataset documents for ``dataset_ids`` (all datasets when None), streamed in chunks."""
    lineage = DiseaseLineage()
    today = timezone.localdate()
    ids = list(_datasets_queryset(dataset_ids).values_list("pk", flat=True))
    for chunk in chunked(ids, chunk_size):
        terms = variable_terms_by_dataset(chunk)
        for dataset in _datasets_queryset(chunk):
            yield render_dataset(dataset, lineage=lineage, today=today, variable_terms=terms.get(dataset.pk, ()))


def variable_terms_by_dataset(dataset_ids: list[int]) -> dict[int, list[str]]:
    """The distinct variable names and labels and concept codes and names of each dataset.

    Two queries per chunk of datasets; at most ``MAX_VARIABLE_TERMS`` terms per dataset, so a
    100,000-variable dictionary does not make one giant document.
    """
    terms: dict[int, dict[str, None]] = {}
    variables = Variable.objects.filter(dataset_id__in=dataset_ids).order_by("dataset_id", "position", "pk")
    for dataset_id, name, label in variables.values_list("dataset_id", "name", "label").iterator(chunk_size=5000):
        bucket = terms.setdefault(dataset_id, {})
        if len(bucket) < MAX_VARIABLE_TERMS:
            bucket.update(dict.fromkeys(term for term in (name, label) if term))
    links = (
        Variable.concepts.through.objects.filter(variable__dataset_id__in=dataset_ids)
        .values_list("variable__dataset_id", "concept__code", "concept__name")
        .distinct()
        # A fixed order keeps the rendering (and its digest) identical from one run to the next.
        .order_by("variable__dataset_id", "concept__code", "concept__name")
    )
    for dataset_id, code, name in links.iterator(chunk_size=5000):
        bucket = terms.setdefault(dataset_id, {})
        if len(bucket) < MAX_VARIABLE_TERMS:
            bucket.update(dict.fromkeys((code, name)))
    return {dataset_id: list(bucket) for dataset_id, bucket in terms.items()}


class VariableRow(NamedTuple):
    """The columns of a variable that its document needs (read with ``values_list``: no model instances)."""

    id: int
    dataset_id: int
    name: str
    label: str
    description: str
    label_translations: Any
    description_translations: Any
    value_type: str
    unit: str
    categories: Any


VARIABLE_COLUMNS = VariableRow._fields
ConceptRow = tuple[str, str, str]  # vocabulary, code, name


def variable_context(dataset_document: Document) -> str:
    """The low-weight context text of a dataset's variables: the dataset's own disease names and codes."""
    diseases = dataset_document.get("diseases", ())
    return analyse([d["name"] for d in diseases], [d["code"] for d in diseases])


def render_variable(
    variable: VariableRow, concepts: list[ConceptRow], *, dataset_document: Document, context: str | None = None
) -> Document:
    """The search document of one variable; ``dataset_document`` supplies the dataset's facets and status, and
    ``context`` its :func:`variable_context` (computed here when not given)."""
    categories = variable.categories if isinstance(variable.categories, dict) else {}
    return with_digest(
        {
            "id": variable.id,
            "dataset_id": dataset_document["id"],
            "dataset_slug": dataset_document["slug"],
            "dataset_title": dataset_document["title"],
            "name": variable.name,
            "label": variable.label,
            "description": variable.description,
            "value_type": variable.value_type,
            "unit": variable.unit,
            "concepts": [{"vocabulary": v, "code": c, "name": n} for v, c, n in concepts],
            "concept_keys": [concept_key(v, c) for v, c, _ in concepts],
            "status": dataset_document["status"],
            "partner_id": dataset_document["partner_id"],
            "partner_name": dataset_document["partner_name"],
            "patient_count": dataset_document["patient_count"],
            "updated_at": dataset_document["updated_at"],
            "facets": {**dataset_document["facets"], "value_type": [variable.value_type]},
            "exact": exact_form(variable.name),
            "primary": _joined(
                analyse(variable.name, variable.label, [c for _, c, _ in concepts], [n for _, _, n in concepts]),
                analyse_translations(variable.label_translations),
            ),
            "secondary": _joined(
                analyse_translations(variable.description_translations),
                analyse(
                    variable.description,
                    [str(code) for code in categories],
                    [str(label) for label in categories.values()],
                    variable.unit,
                ),
            ),
            "context": variable_context(dataset_document) if context is None else context,
        }
    )


def _variable_rows(dataset_ids: list[int], *, chunk_size: int) -> Iterator[tuple[VariableRow, list[ConceptRow]]]:
    """Each variable of ``dataset_ids`` (by dataset, then dictionary position) with its concepts: plain rows,
    no model instances, and one extra query per chunk for the concepts."""
    rows = (
        Variable.objects.filter(dataset_id__in=dataset_ids)
        .order_by("dataset_id", "position", "pk")
        .values_list(*VARIABLE_COLUMNS)
    )
    chunk: list[VariableRow] = []
    for row in rows.iterator(chunk_size=chunk_size):
        chunk.append(VariableRow(*row))
        if len(chunk) >= chunk_size:
            yield from _with_concepts(chunk)
            chunk = []
    if chunk:
        yield from _with_concepts(chunk)


def _with_concepts(chunk: list[VariableRow]) -> Iterator[tuple[VariableRow, list[ConceptRow]]]:
    concepts: dict[int, list[ConceptRow]] = {}
    mapped = (
        Variable.concepts.through.objects.filter(variable_id__in=[row.id for row in chunk])
        .order_by("concept__vocabulary", "concept__code")
        .values_list("variable_id", "concept__vocabulary", "concept__code", "concept__name")
    )
    for variable_id, vocabulary, code, name in mapped:
        concepts.setdefault(variable_id, []).append((vocabulary, code, name))
    for row in chunk:
        yield row, concepts.get(row.id, [])


def iter_variable_documents(
    dataset_documents: Iterable[Document], *, chunk_size: int = VARIABLE_CHUNK_SIZE
) -> Iterator[Document]:
    """The variable documents of the given datasets, streamed with flat memory.

    Rendering is the part of a full reindex that runs in Python, so it is kept lean: plain rows, and each
    dataset's context analysed once.
    """
    by_id = {document["id"]: document for document in dataset_documents}
    if not by_id:
        return
    contexts = {pk: variable_context(document) for pk, document in by_id.items()}
    for row, concepts in _variable_rows(list(by_id), chunk_size=chunk_size):
        yield render_variable(row, concepts, dataset_document=by_id[row.dataset_id], context=contexts[row.dataset_id])


def iter_documents(
    dataset_ids: Iterable[int] | None = None, *, dataset_chunk_size: int = 200
) -> Iterator[tuple[str, Document]]:
    """Every document of ``dataset_ids`` (all datasets when None) as ("datasets" | "variables", document).

    One pass over the variable rows per chunk of datasets: each row is rendered into its variable document and
    feeds its dataset's variable terms and count, so the dataset documents (yielded after their variables)
    need no second read and no ``COUNT``. Memory stays flat: at most ``MAX_VARIABLE_TERMS`` terms per dataset.
    """
    lineage = DiseaseLineage()
    today = timezone.localdate()
    ids = list(_datasets_queryset(dataset_ids, with_counts=False).values_list("pk", flat=True))
    for chunk in chunked(ids, dataset_chunk_size):
        datasets = list(_datasets_queryset(chunk, with_counts=False))
        # The variables need only the dataset's own fields (status, facets, diseases), not its variable terms.
        preliminary = {d.pk: render_dataset(d, lineage=lineage, today=today, variable_count=0) for d in datasets}
        contexts = {pk: variable_context(document) for pk, document in preliminary.items()}
        terms: dict[int, dict[str, None]] = {pk: {} for pk in preliminary}
        concept_terms: dict[int, set[tuple[str, str]]] = {pk: set() for pk in preliminary}
        counts = dict.fromkeys(preliminary, 0)
        for row, concepts in _variable_rows(chunk, chunk_size=VARIABLE_CHUNK_SIZE):
            counts[row.dataset_id] += 1
            bucket = terms[row.dataset_id]
            if len(bucket) < MAX_VARIABLE_TERMS:
                bucket.update(dict.fromkeys(term for term in (row.name, row.label) if term))
            concept_terms[row.dataset_id].update((code, name) for _, code, name in concepts)
            yield (
                "variables",
                render_variable(
                    row, concepts, dataset_document=preliminary[row.dataset_id], context=contexts[row.dataset_id]
                ),
            )
        for dataset in datasets:
            # The same terms in the same order as variable_terms_by_dataset: equal documents, equal digests.
            bucket = terms[dataset.pk]
            for pair in sorted(concept_terms[dataset.pk]):
                if len(bucket) < MAX_VARIABLE_TERMS:
                    bucket.update(dict.fromkeys(pair))
            yield (
                "datasets",
                render_dataset(
                    dataset,
                    lineage=lineage,
                    today=today,
                    variable_terms=terms[dataset.pk],
                    variable_count=counts[dataset.pk],
                ),
            )


def iter_all_documents(*, dataset_chunk_size: int = 200) -> Iterator[tuple[str, Document]]:
    """Every document of the catalogue (:func:`iter_documents` of all datasets)."""
    return iter_documents(dataset_chunk_size=dataset_chunk_size)
