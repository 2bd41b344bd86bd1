"""Elasticsearch-only guarantees: strict mappings, versioned indices behind aliases, a rebuild with no empty moment."""

from __future__ import annotations

import copy
import threading

import pytest
from elasticsearch import BadRequestError

from catalogue.search import selectors
from catalogue.search.backends import es_bulk
from catalogue.search.backends.base import SearchUnavailable
from catalogue.search.backends.es_mappings import MAPPINGS
from catalogue.search.models import SearchChange
from catalogue.search.outbox import record_dataset_changes
from catalogue.search.sync import rebuild_index
from tests.catalogue.factories import DatasetFactory, VariableFactory
from tests.search.conftest import make_elasticsearch_backend, sync

pytestmark = pytest.mark.elasticsearch


def test_mappings_reject_unknown_fields(elasticsearch_backend):
    with pytest.raises(BadRequestError, match="strict_dynamic_mapping_exception"):
        elasticsearch_backend.client.index(
            index=elasticsearch_backend.alias("datasets"), id="1", document={"id": 1, "surprise": "field"}
        )
    with pytest.raises(BadRequestError, match="strict_dynamic_mapping_exception"):
        elasticsearch_backend.client.index(
            index=elasticsearch_backend.alias("variables"), id="1", document={"id": 1, "facets": {"colour": "red"}}
        )


def test_each_document_type_is_a_versioned_index_behind_an_alias(elasticsearch_backend):
    for doc_type in ("datasets", "variables"):
        [physical] = elasticsearch_backend.physical_indices(doc_type)
        assert physical.startswith(elasticsearch_backend.alias(doc_type) + "-")
        mapping = elasticsearch_backend.client.indices.get_mapping(index=physical)[physical]["mappings"]
        assert mapping["dynamic"] == "strict"


def test_rebuild_swaps_the_alias_with_no_moment_of_empty_results(elasticsearch_backend, corpus):
    DatasetFactory.create_batch(30, partner=corpus.cast.partner_b)
    sync(elasticsearch_backend)
    expected = {"datasets": 30 + 6, "variables": 9}
    before = {t: elasticsearch_backend.physical_indices(t) for t in expected}
    observed: list[dict[str, int]] = []
    stop = threading.Event()

    def keep_searching() -> None:
        # Queries go through the alias only, like every reader; no database access on this thread.
        while not stop.is_set():
            observed.append(
                {t: elasticsearch_backend.client.count(index=elasticsearch_backend.alias(t))["count"] for t in expected}
            )

    reader = threading.Thread(target=keep_searching)
    reader.start()
    try:
        for _ in range(3):
            counts = elasticsearch_backend.rebuild(chunk_size=4)
            assert counts == expected
    finally:
        stop.set()
        reader.join()
    assert len(observed) > 3
    assert all(counts == expected for counts in observed), [c for c in observed if c != expected][:3]
    for doc_type in expected:
        [physical] = elasticsearch_backend.physical_indices(doc_type)
        assert physical not in before[doc_type]
        assert not elasticsearch_backend.client.indices.exists(index=before[doc_type][0])


def test_changes_committed_during_a_rebuild_are_applied_after_the_swap(elasticsearch_backend, corpus, monkeypatch):
    sync(elasticsearch_backend)
    record_dataset_changes([corpus.madrid_myeloma.pk])  # pending before: covered by the rebuild itself
    build = elasticsearch_backend.rebuild

    def build_then_a_curator_writes(**options):
        counts = build(**options)
        # Committed after the rebuild read the Munich dataset, before the alias swap is done.
        VariableFactory(dataset=corpus.munich_aml, name="karyotype", label="Karyotype")
        record_dataset_changes([corpus.munich_aml.pk])
        return counts

    monkeypatch.setattr(elasticsearch_backend, "rebuild", build_then_a_curator_writes)
    report = rebuild_index(backend=elasticsearch_backend, chunk_size=2)
    assert report.sync.applied_changes == 1
    assert not SearchChange.objects.exists()
    results = selectors.search_variables(user=None, text="karyotype", backend=elasticsearch_backend)
    assert [hit.document["name"] for hit in results.hits] == ["karyotype"]
    assert elasticsearch_backend.check().clean


def test_failed_rebuild_leaves_the_live_index_alone(elasticsearch_backend, corpus, monkeypatch):
    sync(elasticsearch_backend)
    before = elasticsearch_backend.physical_indices("datasets")

    def broken_chunk(client, chunk):
        raise ConnectionError("bulk request lost")

    monkeypatch.setattr(es_bulk, "_send_chunk", broken_chunk)
    with pytest.raises(ConnectionError):
        elasticsearch_backend.rebuild(chunk_size=2)
    assert elasticsearch_backend.physical_indices("datasets") == before
    assert selectors.search_datasets(user=None, backend=elasticsearch_backend).total == 3
    leftovers = elasticsearch_backend.client.indices.get(index=f"{elasticsearch_backend.index_prefix}-*").body
    assert len(leftovers) == 3  # only the live datasets, variables and texts indices


def test_a_change_synced_before_the_first_reindex_leaves_the_reindex_working(db):
    """A fresh cluster: a catalogue write syncs before anyone ran search_reindex. Before the fix the bulk
    auto-created a concrete index under the alias's name, and every later reindex failed on the alias swap."""
    from tests.search.conftest import make_elasticsearch_backend

    backend = make_elasticsearch_backend()
    backend.drop_indices()
    try:
        dataset = DatasetFactory()
        VariableFactory(dataset=dataset, label="FLT3-ITD status")
        backend.index_datasets([dataset.pk])
        assert backend.physical_indices("variables") != []  # behind the alias, not named like it
        backend.rebuild()
        assert set(backend.indexed_digests("variables")) == set(dataset.variables.values_list("pk", flat=True))
        assert backend.check().clean
    finally:
        backend.drop_indices()


def test_an_answer_missing_part_of_the_index_is_unavailable_never_partial(corpus):
    """While a node is lost, Elasticsearch answers from the shards it still reaches and counts the others as
    failed: a 200 with hits missing. Here one of the two indices behind the alias fails its shard for every
    search (its ``facets.disease`` is a number); before the fix the researcher got the other index's hits
    as if they were the whole catalogue."""
    backend = make_elasticsearch_backend(max_retries=0)
    backend.drop_indices()
    backend.prepare()
    try:
        sync(backend)
        wanted = {"disease": ["AML"]}
        whole = selectors.search_datasets(user=None, filters=wanted, backend=backend)
        assert whole.total > 0
        broken = f"{backend.alias('datasets')}-broken"
        mappings = copy.deepcopy(MAPPINGS["datasets"])
        mappings["properties"]["facets"]["properties"]["disease"] = {"type": "long"}
        backend.client.indices.create(index=broken, mappings=mappings)
        backend.client.index(index=broken, id="1", document={"id": 1, "status": "published"}, refresh=True)
        backend.client.indices.update_aliases(actions=[{"add": {"index": broken, "alias": backend.alias("datasets")}}])
        with pytest.raises(SearchUnavailable, match="without part of the index"):
            selectors.search_datasets(user=None, filters=wanted, backend=backend)
    finally:
        backend.drop_indices()
