"""System checks for the search settings."""

from __future__ import annotations

from django.test import override_settings

from catalogue.search.checks import check_search_settings


def ids(**overrides: str) -> list[str]:
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
