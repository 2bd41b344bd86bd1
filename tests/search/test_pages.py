"""The search and feasibility pages: render for each role, shareable GET forms, 400 on bad parameters."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from catalogue.search.backends.database import DatabaseSearchBackend
from tests.catalogue.factories import VariableFactory
from tests.search.conftest import Corpus, sync


@pytest.fixture
def indexed(corpus: Corpus) -> Corpus:
    sync(DatabaseSearchBackend())
    return corpus


@pytest.fixture(autouse=True)
def _database_backend():
    with override_settings(SEARCH_BACKEND="database"):
        yield


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_search_page_shows_highlighted_hits_and_facets(indexed):
    response = client_for(None).get("/search/", {"q": "munchen", "disease": "AML"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "AML cohort <mark>München</mark>" in html
    assert '<form class="search" method="get"' in html
    assert 'name="disease" value="AML" checked' in html
    assert "1 dataset" in html


def test_search_page_lists_variables(indexed):
    html = client_for(None).get("/search/", {"q": "npm1", "kind": "variables"}).content.decode()
    assert "3 variables" in html
    assert "<code><mark>npm1</mark></code>" in html
    assert "HGNC:NPM1" in html


def test_search_page_shows_drafts_only_to_their_curators(indexed):
    link = 'href="/datasets/draft-cll/"'
    assert link not in client_for(None).get("/search/", {"q": "draft"}).content.decode()
    assert link not in client_for(indexed.cast.carl_other_curator).get("/search/?q=draft").content.decode()
    olga_sees = client_for(indexed.cast.olga_owner_curator).get("/search/?q=draft").content.decode()
    assert link in olga_sees
    assert '<span class="badge">draft</span>' in olga_sees


def test_search_page_rejects_bad_parameters(indexed):
    response = client_for(None).get("/search/", {"disease": "XYZ"})
    assert response.status_code == 400
    assert "Unknown disease area &#x27;XYZ&#x27;." in response.content.decode()


@pytest.mark.parametrize("page", ["3", "501", "100000"])
def test_a_page_past_the_results_goes_to_their_last_page_not_to_a_10000_result_limit(indexed, page):
    response = client_for(None).get("/search/", {"q": "npm1", "kind": "variables", "page": page})
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=npm1&kind=variables&page=1"
    html = client_for(None).get(response["Location"]).content.decode()
    assert "3 variables" in html
    assert "10000" not in html and "10,000" not in html


def test_suggestions_fragment(indexed):
    html = client_for(None).get("/search/suggestions/", {"q": "npm"}).content.decode()
    assert '<option value="npm1" label="variable">' in html
    assert client_for(None).get("/search/suggestions/").status_code == 200  # empty, not an error


def test_feasibility_page(indexed):
    response = client_for(None).get(
        "/search/feasibility/", {"concepts": "HGNC:NPM1\nFLT3-ITD status\n", "disease": "AML"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 datasets with 1,280 patients in total" in html
    assert "<code>npm1_status</code>" in html


def test_feasibility_and_search_show_readable_units(corpus):
    VariableFactory(dataset=corpus.munich_aml, name="wbc_dx", label="White cells at diagnosis", unit="10*9/L")
    sync(DatabaseSearchBackend())
    readable = '<span class="unit" title="10*9/L">\N{MULTIPLICATION SIGN}10⁹/L</span>'
    assert readable in client_for(None).get("/search/feasibility/", {"concepts": "wbc_dx"}).content.decode()
    assert readable in client_for(None).get("/search/", {"q": "wbc_dx", "kind": "variables"}).content.decode()


def test_feasibility_page_without_concepts_shows_the_form(db):
    response = client_for(None).get("/search/feasibility/")
    assert response.status_code == 200
    assert 'name="concepts"' in response.content.decode()


def test_feasibility_page_rejects_bad_parameters(indexed):
    response = client_for(None).get("/search/feasibility/", {"concepts": "HGNC:NPM1", "min_patients": "-5"})
    assert response.status_code == 400
    assert "greater than or equal to 0" in response.content.decode()


def test_search_page_explains_the_expansion_and_offers_a_correction(indexed):
    html = client_for(None).get("/search/", {"q": "AML", "lang": "en"}).content.decode()
    assert "Also searched: acute myeloid leukemia" in html
    assert '<option value="en" selected>English</option>' in html
    # (A misspelt disease would find its datasets' variables through their context: a typo of a label word.)
    html = client_for(None).get("/search/", {"q": "mutaton", "kind": "variables"}).content.decode()
    assert "0 variables" in html
    assert 'Did you mean <a href="/search/?q=mutation&amp;kind=variables">mutation</a>?' in html


def test_search_page_lists_the_variables_a_dataset_matched(indexed):
    html = client_for(None).get("/search/", {"q": "ELN 2022 risk"}).content.decode()
    marked = "<code><mark>eln2022_risk</mark></code> <mark>ELN</mark> <mark>2022</mark> <mark>risk</mark>"
    assert f"Matching variables: {marked}" in html


def test_search_page_rejects_an_unknown_language(indexed):
    response = client_for(None).get("/search/", {"q": "aml", "lang": "xx"})
    assert response.status_code == 400
    assert "Unknown language &#x27;xx&#x27;" in response.content.decode()


def test_the_language_select_offers_every_search_language():
    from catalogue.search.analysis import LANGUAGES
    from catalogue.search.views import LANGUAGE_NAMES

    assert set(LANGUAGE_NAMES) == set(LANGUAGES)
