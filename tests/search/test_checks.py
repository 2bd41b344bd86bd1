"""System checks for the search settings."""

from __future__ import annotations

from django.test import override_settings

from catalogue.search.checks import check_search_settings


def ids(**overrides: str | int) -> list[str]:
    with override_settings(**overrides):
        return [error.id for error in check_search_settings()]


def test_database_backend_needs_nothing():
    assert ids(SEARCH_BACKEND="database", ELASTICSEARCH_URL="") == []


def test_elasticsearch_settings_are_checked():
    assert ids(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL="http://127.0.0.1:9200") == []
    assert ids(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL="localhost:9200") == ["search.E001"]
    assert ids(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_INDEX_PREFIX="Harmony*") == ["search.E002"]
    assert ids(
        SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL="http://es:9200", ELASTICSEARCH_CA_CERTS="/etc/ca.pem"
    ) == ["search.E003"]


def test_a_cluster_is_several_comma_separated_node_urls():
    nodes = "http://127.0.0.1:9200, http://127.0.0.1:9201,http://127.0.0.1:9202"
    assert ids(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL=nodes) == []
    assert ids(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL="http://127.0.0.1:9200,127.0.0.1:9201") == [
        "search.E001"
    ]


def test_shards_and_replicas_must_configure_an_index():
    assert ids(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_SHARDS=3, ELASTICSEARCH_REPLICAS=1) == []
    assert ids(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_SHARDS=0) == ["search.E004"]
    assert ids(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_REPLICAS=-1) == ["search.E004"]
