"""Facet counts of the database backend against a plain recount of the index documents.

The oracle below counts the way the search interface defines it, one document at a time in
Python: a facet's counts apply every other facet's selection but not its own (disjunctive
facets), counts are documents (datasets, or variables), values are ordered by count then value,
and only the first ``FACET_SIZE`` are kept. The backend must give exactly the same lists, for
datasets and variables, anonymous and privileged visibility, with and without text and selections,
on SQLite and on PostgreSQL (the suite runs on both).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Collection, Mapping

import pytest

from catalogue.models import Dataset, DataType, DiseaseArea, DuoTerm, PartnerKind, ValueType
from catalogue.search.backends.base import FacetCount, SearchRequest, Visibility
from catalogue.search.backends.database import FACET_SIZE, DatabaseSearchBackend
from catalogue.search.documents import Document, iter_dataset_documents, iter_variable_documents
from catalogue.search.facets import DATASET_FACETS, VARIABLE_FACETS
from tests.catalogue.factories import ConsentFactory, DatasetFactory, PartnerFactory, VariableFactory
from tests.search.conftest import Corpus, sync

ANONYMOUS = Visibility(statuses=frozenset({"published"}))
ADMIN = Visibility(
    statuses=frozenset({"published"}), curated_statuses=frozenset({"draft", "retired"}), all_partners=True
)

SELECTIONS: list[dict[str, list[str]]] = [
    {},
    {"disease": ["AML"]},
    {"disease": ["AML", "MM"], "country": ["DE", "IT", "FR"]},
    {"data_type": ["wgs"], "duo_permission": ["HMB"]},
    {"partner_kind": ["academic"], "patients": ["100-499", "1000-4999"], "period": ["2010s"]},
    {"country": ["ES"], "duo_modifier": ["PUB", "NPU"]},
    {"disease": ["CLL"], "country": ["NL"], "data_type": ["clinical"]},
    {"value_type": ["integer", "text"]},
    {"value_type": ["categorical"], "disease": ["AML"], "country": ["DE"]},
    {"country": ["XX"]},
]
TEXTS = ["", "aml", "status", "cohort registry"]


@pytest.fixture
def facet_corpus(corpus: Corpus) -> Corpus:
    """The contract corpus plus 24 datasets with random (seeded) partners, diseases, data types,
    consents, patient counts, periods and variables of every value type."""
    rng = random.Random(20261202)
    partners = [corpus.cast.partner_a, corpus.cast.partner_b] + [
        PartnerFactory(country=country, kind=kind)
        for country, kind in [("FR", PartnerKind.ACADEMIC), ("NL", PartnerKind.PATIENT_ORG), ("IT", PartnerKind.PHARMA)]
    ]
    diseases = list(DiseaseArea.objects.order_by("code").values_list("code", flat=True)[:12])
    data_types = list(DataType.objects.order_by("code"))
    permissions = list(DuoTerm.objects.filter(short_code__in=["HMB", "GRU", "POA"]))
    modifiers = list(DuoTerm.objects.filter(short_code__in=["PUB", "NPU", "IRB"]))
    value_types = [choice for choice, _ in ValueType.choices]
    for n in range(24):
        start = rng.randint(1995, 2022)
        dataset = DatasetFactory(
            partner=rng.choice(partners),
            title=rng.choice(["AML cohort", "Myeloma registry", "CLL biobank", "Lymphoma study"]) + f" {n}",
            status=rng.choice(["published", "published", "published", "draft", "retired"]),
            patient_count=rng.choice([None, 40, 250, 700, 2500, 9000]),
            collection_start=None if n % 7 == 0 else datetime.date(start, 1, 1),
            collection_end=None if n % 3 == 0 else datetime.date(start + rng.randint(0, 12), 12, 31),
            diseases=rng.sample(diseases, rng.randint(0, 3)),
        )
        dataset.data_types.set(rng.sample(data_types, rng.randint(0, min(3, len(data_types)))))
        for _ in range(rng.randint(0, 2)):
            consent = ConsentFactory(dataset=dataset, permission=rng.choice(permissions))
            for term in rng.sample(modifiers, rng.randint(0, 2)):
                consent.modifiers.create(term=term)
        for v in range(rng.randint(0, 6)):
            VariableFactory(
                dataset=dataset,
                name=f"{rng.choice(['status', 'risk', 'stage', 'aml_flag'])}_{n}_{v}",
                value_type=rng.choice(value_types),
            )
    return corpus


def visible(document: Document, visibility: Visibility) -> bool:
    if document["status"] in visibility.statuses:
        return True
    return document["status"] in visibility.curated_statuses and (
        visibility.all_partners or document["partner_id"] in visibility.curated_partner_ids
    )


def recount(
    documents: list[Document], selected: Mapping[str, Collection[str]], facet_names: tuple[str, ...]
) -> dict[str, list[tuple[str, int]]]:
    """Disjunctive facet counts over ``documents``, one document at a time (the oracle)."""
    counts: dict[str, dict[str, int]] = {name: {} for name in facet_names}
    for document in documents:
        facets = document["facets"]
        passes = {name: not set(values).isdisjoint(facets.get(name, ())) for name, values in selected.items()}
        for name in facet_names:
            if all(ok for other, ok in passes.items() if other != name):
                for value in dict.fromkeys(facets.get(name, ())):
                    counts[name][value] = counts[name].get(value, 0) + 1
    return {
        name: sorted(tally.items(), key=lambda item: (-item[1], item[0]))[:FACET_SIZE] for name, tally in counts.items()
    }


def as_pairs(facets: dict[str, list[FacetCount]]) -> dict[str, list[tuple[str, int]]]:
    return {name: [(count.value, count.count) for count in counts] for name, counts in facets.items()}


@pytest.mark.parametrize("kind", ["datasets", "variables"])
def test_facet_counts_equal_a_recount_of_the_documents(facet_corpus, kind):
    backend = DatabaseSearchBackend()
    backend.clear()
    sync(backend)
    dataset_documents = list(iter_dataset_documents(Dataset.objects.values_list("pk", flat=True)))
    if kind == "datasets":
        documents, facet_names, search = dataset_documents, DATASET_FACETS, backend.search_datasets
    else:
        documents = list(iter_variable_documents(dataset_documents))
        facet_names, search = VARIABLE_FACETS, backend.search_variables
    assert len(documents) > (25 if kind == "datasets" else 60)
    compared = 0
    # Sorted by date: the text's lexical matches only (semantic neighbours join relevance-ranked hits,
    # never the facet counts).
    for visibility in (ANONYMOUS, ADMIN):
        for text in TEXTS:
            matching = search(
                SearchRequest(visibility=visibility, text=text, sort="updated", page_size=10_000, with_facets=False)
            ).hits
            ids = {hit.document["id"] for hit in matching}
            candidates = [d for d in documents if d["id"] in ids and visible(d, visibility)]
            assert len(candidates) == len(ids)
            for selected in SELECTIONS:
                chosen = {name: values for name, values in selected.items() if name in facet_names}
                request = SearchRequest(visibility=visibility, text=text, filters=chosen, sort="updated", page_size=1)
                results = search(request)
                assert as_pairs(results.facets) == recount(candidates, chosen, facet_names), (visibility, text, chosen)
                compared += 1
    assert compared == 2 * len(TEXTS) * len(SELECTIONS)


def test_facet_counts_keep_the_first_hundred_values_by_count_then_value(db):
    """More than FACET_SIZE values in one facet: the most frequent first, ties by value, the rest cut off."""
    for n in range(FACET_SIZE + 5):
        partner = PartnerFactory(slug=f"partner-{n:03d}")
        for copy in range(1 + (n % 10 == 0)):
            dataset = DatasetFactory(partner=partner, title=f"Cohort {n:03d}-{copy}")
            VariableFactory(dataset=dataset, name=f"v{n}")
    backend = DatabaseSearchBackend()
    backend.clear()
    sync(backend)
    dataset_documents = list(iter_dataset_documents(Dataset.objects.values_list("pk", flat=True)))
    expected = recount(dataset_documents, {}, DATASET_FACETS)
    assert len(expected["partner"]) == FACET_SIZE
    assert expected["partner"][0] == ("partner-000", 2)
    results = backend.search_datasets(SearchRequest(visibility=ANONYMOUS, page_size=1))
    assert as_pairs(results.facets) == expected
    variables = backend.search_variables(SearchRequest(visibility=ANONYMOUS, page_size=1))
    assert as_pairs(variables.facets) == recount(list(iter_variable_documents(dataset_documents)), {}, VARIABLE_FACETS)
