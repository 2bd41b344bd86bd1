"""``/healthz``: the web process reports its database and its search backend, without authentication."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client, override_settings

from catalogue.search.backends import reset_search_backends


@pytest.fixture(autouse=True)
def _fresh_backends() -> Iterator[None]:
    reset_search_backends()
    yield
    reset_search_backends()


@override_settings(SEARCH_BACKEND="database")
def test_healthy_with_the_database_backend(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["search"]["ok"] is True
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.elasticsearch
def test_healthy_with_a_running_elasticsearch(db):
    with override_settings(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL=settings.ELASTICSEARCH_URL):
        response = Client().get("/healthz")
    assert response.status_code == 200, response.content
    assert response.json()["checks"]["search"] == {"ok": True, "ms": response.json()["checks"]["search"]["ms"]}


def test_reports_a_down_search_backend(db):
    with override_settings(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL="http://127.0.0.1:9"):
        response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["search"]["ok"] is False
    assert "Elasticsearch cannot be reached" in body["checks"]["search"]["error"]


def test_only_get(db):
    assert Client().post("/healthz").status_code == 405
