"""Search results and feasibility answers as CSV: the page's own parameters (query, facets, intended use), the
user's visibility, every result rather than one page."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client, override_settings

from catalogue.search.backends.database import DatabaseSearchBackend
from catalogue.views import exports
from tests.search.conftest import Corpus, sync


@pytest.fixture
def indexed(corpus: Corpus) -> Corpus:
    sync(DatabaseSearchBackend())
    return corpus


@pytest.fixture(autouse=True)
def _database_backend():
    with override_settings(SEARCH_BACKEND="database"):
        yield


def rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_dataset_results_with_facets_and_the_intended_use(indexed):
    response = client_for().get("/search/results.csv", {"q": "", "disease": "AML", "use_purpose": "HMB"})
    assert response["Content-Disposition"] == 'attachment; filename="harmony-search-datasets.csv"'
    exported = rows(response)
    assert sorted(row["title"] for row in exported) == ["AML cohort München", "AML relapse study"]
    munich = next(row for row in exported if row["title"] == "AML cohort München")
    assert munich["url"] == "http://testserver/datasets/aml-cohort-munchen/"
    assert munich["intended_use"] in {
        "Consent admits this use",
        "Needs committee review",
        "Consent does not admit this use",
    }


def test_variable_results_follow_visibility(indexed):
    anonymous = {row["name"] for row in rows(client_for().get("/search/results.csv", {"q": "", "kind": "variables"}))}
    assert "ighv_status" not in anonymous  # a draft's variable
    curator = client_for(indexed.cast.olga_owner_curator)
    exported = rows(curator.get("/search/results.csv", {"q": "", "kind": "variables"}))
    assert "ighv_status" in {row["name"] for row in exported}
    npm1 = next(row for row in exported if row["name"] == "npm1")
    assert npm1["dataset"] == "AML relapse study" and npm1["concepts"] == "HGNC:NPM1"


def test_every_result_not_only_the_page(indexed, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_CHUNK", 1)  # one backend page per result
    exported = rows(client_for().get("/search/results.csv", {"q": "", "page_size": "1", "page": "2"}))
    assert len(exported) == 3  # the three published datasets


def test_bad_parameters_are_a_400_with_the_reason(db):
    response = client_for().get("/search/results.csv", {"disease": "XYZ"})
    assert response.status_code == 400
    assert "Unknown disease area 'XYZ'." in response.content.decode()


def test_feasibility_answer(indexed):
    response = client_for().get("/search/feasibility.csv", {"concepts": "HGNC:NPM1\nFLT3-ITD status", "disease": "AML"})
    exported = rows(response)
    assert [row["dataset"] for row in exported] == ["AML cohort München", "AML relapse study"]
    assert exported[0]["HGNC:NPM1"] == "npm1_status" and exported[0]["FLT3-ITD status"] == "flt3_itd"
    assert exported[0]["patients"] == "1200"


def test_the_pages_link_their_exports(indexed):
    html = client_for().get("/search/", {"q": "npm1", "disease": "AML"}).content.decode()
    assert 'href="/search/results.csv?q=npm1&amp;disease=AML"' in html
    html = client_for().get("/search/feasibility/", {"concepts": "HGNC:NPM1"}).content.decode()
    assert 'href="/search/feasibility.csv?concepts=HGNC%3ANPM1"' in html
