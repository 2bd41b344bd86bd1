"""The Elasticsearch client spreads requests over every configured node and retries elsewhere."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings

from catalogue.search.backends.elasticsearch import ElasticsearchSearchBackend
from catalogue.search.backends.es_mappings import index_settings

DEAD_NODE = "http://127.0.0.1:9"  # the discard port: nothing listens, connections are refused


@pytest.mark.elasticsearch
def test_a_dead_node_in_the_list_fails_no_request():
    with override_settings(ELASTICSEARCH_URL=f"{DEAD_NODE}, {settings.ELASTICSEARCH_URL}", ELASTICSEARCH_MAX_RETRIES=2):
        backend = ElasticsearchSearchBackend()
    assert len(backend.client.transport.node_pool.all()) == 2
    # Round-robin sends every other request to the dead node first: each is retried on the live one.
    for _ in range(6):
        assert backend.client.info()["version"]["number"]


@override_settings(ELASTICSEARCH_SHARDS=3, ELASTICSEARCH_REPLICAS=1)
def test_new_indices_get_the_configured_shards_and_replicas_once_built():
    backend = ElasticsearchSearchBackend()
    assert (backend.shards, backend.replicas) == (3, 1)
    assert index_settings(replicas=1, building=False, shards=3) == {"number_of_shards": 3, "number_of_replicas": 1}
    # While building: no refreshes, but the replicas are written as it goes (a node lost mid-rebuild costs nothing).
    assert index_settings(replicas=1, building=True, shards=3) == {
        "number_of_shards": 3,
        "number_of_replicas": 1,
        "refresh_interval": "-1",
    }
