"""Search endpoints while Elasticsearch is down: 503 with a clear message, never a server error.

"Down" is a real closed port (the discard port, nobody listens there), not a mocked client.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client, override_settings

from catalogue.search.backends import reset_search_backends
from tests.conftest import api_as

DEAD_URL = "http://127.0.0.1:9"

API_ENDPOINTS = [
    "/api/v1/search/datasets/?q=leukemia",
    "/api/v1/search/variables/?q=npm1",
    "/api/v1/search/suggest/?q=leu",
    "/api/v1/search/feasibility/?concept=HGNC:NPM1",
]
PAGES = [
    "/search/?q=leukemia",
    "/search/?q=npm1&kind=variables",
    "/search/feasibility/?concept=HGNC:NPM1",
]


@pytest.fixture
def elasticsearch_down(db) -> Iterator[None]:
    with override_settings(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL=DEAD_URL):
        reset_search_backends()
        yield
    reset_search_backends()


@pytest.mark.parametrize("url", API_ENDPOINTS)
def test_search_api_answers_503_in_the_error_shape(elasticsearch_down, cast, url):
    for user in (None, cast.rita_researcher):
        response = api_as(user).get(url)
        assert response.status_code == 503, response.content
        assert response.json() == {
            "detail": "Search is temporarily unavailable. Please try again in a few minutes.",
            "code": "search_unavailable",
        }
        assert response["Retry-After"] == "30"


@pytest.mark.parametrize("url", PAGES)
def test_search_pages_show_a_friendly_page(elasticsearch_down, url):
    response = Client().get(url)
    assert response.status_code == 503
    content = response.content.decode()
    assert "Search is temporarily unavailable" in content
    assert 'href="/datasets/"' in content  # the way on: browsing does not need the search backend


def test_suggestions_fragment_answers_503(elasticsearch_down):
    assert Client().get("/search/suggestions/?q=leu").status_code == 503


def test_browsing_still_works_while_search_is_down(elasticsearch_down):
    assert Client().get("/datasets/").status_code == 200
