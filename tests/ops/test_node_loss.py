"""Losing one node of a three-node Elasticsearch cluster (marker ``escluster``; ``make test`` runs it once).

The module starts its own cluster with ``ES_NODES=3 scripts/elasticsearch.sh`` on ports 9280-9282 (transport
9380-9382), indexes with two shards and one replica, and kills a node with SIGKILL — during a reindex, during
queries and during catalogue writes. Starting the script again brings the missing node back (it is idempotent:
the two live nodes are left alone). Every search must answer, and after the node returns the index must match
the database (``search_check``) with the alias swapped exactly once per successful reindex.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

from catalogue.search import selectors
from catalogue.search.backends import elasticsearch as elasticsearch_backend
from catalogue.search.backends import reset_search_backends
from catalogue.search.backends.elasticsearch import ElasticsearchSearchBackend
from catalogue.search.sync import apply_pending_changes, rebuild_index
from catalogue.services.datasets import dataset_update
from tests.catalogue.factories import DatasetFactory, VariableFactory
from tests.conftest import Cast

pytestmark = [pytest.mark.escluster, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]
FIRST_PORT = 9280
NODES = [f"http://127.0.0.1:{FIRST_PORT + i}" for i in range(3)]
SCRIPT_ENV = {"ES_NODES": "3", "ES_PORT": str(FIRST_PORT), "ES_TRANSPORT_PORT": "9380", "ES_HEAP": "256m"}


def run_script(command: str) -> None:
    """``scripts/elasticsearch.sh <command>`` for this module's cluster; fails the test with its output."""
    result = subprocess.run(
        ["bash", str(REPO / "scripts" / "elasticsearch.sh"), command],
        env={**os.environ, **SCRIPT_ENV},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"elasticsearch.sh {command} failed:\n{result.stderr[-3000:]}"


@pytest.fixture(scope="module")
def cluster() -> Iterator[list[str]]:
    run_script("start")
    yield NODES
    run_script("stop")


@pytest.fixture
def backend(cluster: list[str]) -> Iterator[ElasticsearchSearchBackend]:
    """The configured backend over all three nodes (the settings a deployment would use)."""
    with override_settings(
        SEARCH_BACKEND="elasticsearch",
        ELASTICSEARCH_URL=",".join(cluster),
        ELASTICSEARCH_INDEX_PREFIX=f"nodeloss-{os.getpid()}",
        ELASTICSEARCH_SHARDS=2,
        ELASTICSEARCH_REPLICAS=1,
        SEARCH_SYNC_ON_COMMIT=False,
    ):
        reset_search_backends()
        search_backend = ElasticsearchSearchBackend(refresh=True)
        yield search_backend
        search_backend.drop_indices()
    reset_search_backends()


def kill_node(backend: ElasticsearchSearchBackend, *, holding_index: str | None = None) -> str:
    """SIGKILL one node (the one holding ``holding_index``'s first primary shard, else the elected master)
    and return its name. The pid comes from the node itself (``_nodes/process``)."""
    if holding_index:
        shards = backend.client.cat.shards(index=holding_index, format="json", h="shard,prirep,node")
        name = next(s["node"] for s in shards if s["shard"] == "0" and s["prirep"] == "p")
    else:
        name = backend.client.cat.master(format="json")[0]["node"]
    nodes = backend.client.nodes.info(node_id=name, metric="process")["nodes"]
    pid = next(iter(nodes.values()))["process"]["id"]
    os.kill(pid, signal.SIGKILL)
    return name


def bring_back(backend: ElasticsearchSearchBackend) -> None:
    """Start the missing node again and wait until every shard copy is assigned."""
    run_script("start")
    health = backend.client.cluster.health(wait_for_status="green", wait_for_nodes="3", timeout="120s")
    assert health["status"] == "green", health


def catalogue(cast: Cast, datasets: int = 12, variables: int = 20) -> None:
    for number in range(datasets):
        dataset = DatasetFactory(partner=cast.partner_a, title=f"Leukaemia cohort {number}")
        VariableFactory.create_batch(variables, dataset=dataset)


def word_matches(backend, text: str) -> set[int]:
    """The datasets a search finds by its words (the semantic leg may add look-alikes, which vary with the
    factories' random titles; what must not vary while a node is lost is what the words find)."""
    results = selectors.search_datasets(user=None, text=text, page_size=50, backend=backend)
    return {hit.document["id"] for hit in results.hits if not hit.semantic_only}


def test_a_node_lost_during_a_reindex_swaps_the_alias_once_and_loses_nothing(cast, backend, monkeypatch):
    catalogue(cast)
    rebuild_index(backend=backend)
    first = backend.physical_indices("datasets")
    swaps: list[dict[str, str]] = []
    real_swap = backend.swap_aliases
    monkeypatch.setattr(backend, "swap_aliases", lambda new: (swaps.append(new), real_swap(new))[1])
    killed: list[str] = []
    real_bulk = elasticsearch_backend.parallel_bulk

    def bulk_killing_a_node_midway(client, actions, **options):
        def actions_then_kill():
            for number, action in enumerate(actions):
                if number == 100:  # two chunks sent, the rest still to come; nothing swapped yet
                    killed.append(kill_node(backend, holding_index=action["_index"]))
                yield action

        return real_bulk(client, actions_then_kill(), **options)

    monkeypatch.setattr(elasticsearch_backend, "parallel_bulk", bulk_killing_a_node_midway)
    monkeypatch.setattr(backend, "bulk_chunk_size", 50)
    report = rebuild_index(backend=backend)
    assert killed
    assert report.indexed == {"datasets": 12, "variables": 240}
    assert selectors.search_datasets(user=None, text="leukaemia", backend=backend).total == 12
    bring_back(backend)
    assert len(swaps) == 1
    assert backend.physical_indices("datasets") == [swaps[0]["datasets"]] != first
    names = backend.client.indices.get(index=f"{backend.index_prefix}-*").body
    assert sorted(names) == sorted(swaps[0].values())
    assert backend.check().clean


def test_a_node_lost_during_queries_and_writes_fails_no_search_and_loses_no_update(cast, backend):
    catalogue(cast)
    rebuild_index(backend=backend)
    assert backend.client.cluster.health(wait_for_status="green", timeout="60s")["status"] == "green"

    killed: list[str] = []
    timer = threading.Timer(0.5, lambda: killed.append(kill_node(backend)))
    timer.start()
    cohorts = set(cast.partner_a.datasets.filter(title__startswith="Leukaemia cohort").values_list("pk", flat=True))
    answered = 0
    while not killed or answered < 200:  # queries before, at and after the kill
        assert word_matches(backend, "leukaemia cohort") == cohorts
        answered += 1
    timer.join()

    # Writes while the node is gone: each commits with its outbox row and is applied as the worker would.
    datasets = list(cast.partner_a.datasets.order_by("pk"))
    for number, dataset in enumerate(datasets[:6]):
        dataset_update(actor=cast.olga_owner_curator, dataset=dataset, title=f"Myeloma registry {number}")
        assert not apply_pending_changes(backend=backend).error
    renamed = {dataset.pk for dataset in datasets[:6]}
    assert word_matches(backend, "myeloma registry") == renamed

    bring_back(backend)
    assert not apply_pending_changes(backend=backend).error
    assert backend.check().clean
    assert word_matches(backend, "myeloma registry") == renamed
