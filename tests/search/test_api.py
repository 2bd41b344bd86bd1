"""GET /api/v1/search/…: every endpoint for every role, and 400s with field messages for bad parameters."""

from __future__ import annotations

import pytest
from django.test import override_settings

from catalogue.search.backends.database import DatabaseSearchBackend
from tests.conftest import api_as
from tests.search.conftest import Corpus, sync

DATASETS = "/api/v1/search/datasets/"
VARIABLES = "/api/v1/search/variables/"
SUGGEST = "/api/v1/search/suggest/"
FEASIBILITY = "/api/v1/search/feasibility/"


@pytest.fixture
def indexed(corpus: Corpus) -> Corpus:
    sync(DatabaseSearchBackend())
    return corpus


@pytest.fixture(autouse=True)
def _database_backend():
    with override_settings(SEARCH_BACKEND="database"):
        yield


def test_dataset_search_returns_ranked_highlighted_hits_with_facets(indexed):
    response = api_as(None).get(DATASETS, {"q": "munchen"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["page"] == 1 and body["page_size"] == 20
    [hit] = body["results"]
    assert hit["title"] == "AML cohort München"
    assert hit["slug"] == "aml-cohort-munchen"
    assert hit["url"] == "/datasets/aml-cohort-munchen/"
    assert hit["partner"] == {"id": indexed.cast.partner_a.pk, "name": "Academic Hospital A"}
    assert hit["patient_count"] == 1200
    assert hit["variable_count"] == 3
    assert hit["highlights"]["title"] == "AML cohort <mark>München</mark>"
    assert {"value": "AML", "label": "Acute myeloid leukaemia", "count": 1, "selected": False} in body["facets"][
        "disease"
    ]


def test_repeated_facet_parameters_are_alternatives(indexed):
    body = api_as(None).get(f"{DATASETS}?country=DE&country=ES&sort=patients").json()
    assert [hit["title"] for hit in body["results"]] == ["AML cohort München", "Myeloma registry Madrid"]
    assert {c["value"] for c in body["facets"]["country"] if c["selected"]} == {"DE", "ES"}


def test_facets_can_be_left_out(indexed):
    assert api_as(None).get(DATASETS, {"facets": "false"}).json()["facets"] == {}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", []),
        ("rita_researcher", []),
        ("olga_owner_curator", ["Draft CLL cohort"]),
        ("carl_other_curator", ["Draft Spanish CLL"]),
        ("ada_admin", ["Draft CLL cohort", "Draft Spanish CLL"]),
    ],
)
def test_drafts_are_found_only_by_their_partners_curators(indexed, who, expected):
    user = None if who == "anonymous" else getattr(indexed.cast, who)
    body = api_as(user).get(DATASETS, {"q": "draft"}).json()
    assert sorted(hit["title"] for hit in body["results"]) == expected
    assert body["count"] == len(expected)


def test_variable_search(indexed):
    body = api_as(None).get(VARIABLES, {"q": "npm1", "value_type": "text"}).json()
    assert body["count"] == 3
    first = body["results"][0]
    assert first["name"] == "npm1"
    assert first["dataset"] == {"id": indexed.relapse_aml.pk, "slug": "aml-relapse-study", "title": "AML relapse study"}
    assert first["concepts"] == [{"vocabulary": "HGNC", "code": "NPM1", "name": "nucleophosmin 1"}]
    assert first["highlights"]["name"] == "<mark>npm1</mark>"


@pytest.mark.parametrize(
    ("url", "params", "errors"),
    [
        (DATASETS, {"disease": "XYZ"}, {"disease": ["Unknown disease area 'XYZ'."]}),
        (DATASETS, {"country": "ZZ"}, {"country": ["Unknown country 'ZZ'."]}),
        (DATASETS, {"period": "1990"}, {"period": ["Unknown collection period '1990'."]}),
        (DATASETS, {"sort": "random"}, {"sort": ['"random" is not a valid choice.']}),
        (DATASETS, {"page": "0"}, {"page": ["Ensure this value is greater than or equal to 1."]}),
        (DATASETS, {"page_size": "101"}, {"page_size": ["Ensure this value is less than or equal to 100."]}),
        (
            DATASETS,
            {"page": "101", "page_size": "100"},
            {"page": ["Only the first 10000 results can be paged through; narrow the search."]},
        ),
        (VARIABLES, {"value_type": "colour"}, {"value_type": ["Unknown value type 'colour'."]}),
        (VARIABLES, {"include_retired": "maybe"}, {"include_retired": ["Must be a valid boolean."]}),
        (SUGGEST, {}, {"q": ["This field is required."]}),
        (SUGGEST, {"q": "np", "limit": "50"}, {"limit": ["Ensure this value is less than or equal to 20."]}),
        (FEASIBILITY, {}, {"concept": ["This field is required."]}),
        (FEASIBILITY, {"concept": "HGNC:NPM1", "disease": "FLU"}, {"disease": ["Unknown disease area 'FLU'."]}),
        (
            FEASIBILITY,
            {"concept": "HGNC:NPM1", "min_patients": "-1"},
            {"min_patients": ["Ensure this value is greater than or equal to 0."]},
        ),
        (
            FEASIBILITY,
            {"concept": [f"c{i}" for i in range(11)]},
            {"concept": ["Ensure this field has no more than 10 elements."]},
        ),
    ],
)
def test_bad_parameters_are_400_with_field_messages(db, url, params, errors):
    response = api_as(None).get(url, params)
    assert response.status_code == 400
    assert response.json()["fields"] == errors


def test_suggest(indexed):
    response = api_as(None).get(SUGGEST, {"q": "Myel"})
    assert response.status_code == 200
    assert response.json() == {
        "suggestions": [
            {"text": "Myeloma registry Madrid", "kind": "dataset", "dataset_slug": "myeloma-registry-madrid"},
            {"text": "Myelodysplastic syndromes", "kind": "disease", "dataset_slug": ""},
            {"text": "Myeloproliferative neoplasms", "kind": "disease", "dataset_slug": ""},
        ]
    }


def test_feasibility(indexed):
    response = api_as(None).get(
        FEASIBILITY, {"concept": ["HGNC:NPM1", "HGNC:FLT3"], "disease": "AML", "min_patients": "50"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["total_datasets"] == 2
    assert body["total_patients"] == 1280
    first = body["datasets"][0]
    assert first["title"] == "AML cohort München"
    assert first["partner"]["name"] == "Academic Hospital A"
    assert [(m["concept"], m["variable"]["name"]) for m in first["matches"]] == [
        ("HGNC:NPM1", "npm1_status"),
        ("HGNC:FLT3", "flt3_itd"),
    ]


def test_feasibility_hides_drafts_from_others(indexed):
    params = {"concept": "IGHV mutation status"}
    assert api_as(indexed.cast.carl_other_curator).get(FEASIBILITY, params).json()["total_datasets"] == 0
    assert api_as(indexed.cast.olga_owner_curator).get(FEASIBILITY, params).json()["total_datasets"] == 1


def test_search_endpoints_are_in_the_openapi_schema(db):
    schema = api_as(None).get("/api/schema/", {"format": "json"}).json()
    for url in (DATASETS, VARIABLES, SUGGEST, FEASIBILITY):
        assert url in schema["paths"]
    parameters = {p["name"] for p in schema["paths"][DATASETS]["get"]["parameters"]}
    assert {"q", "sort", "page", "page_size", "disease", "country", "duo_permission", "period"} <= parameters


def test_an_unknown_language_is_a_400_with_the_supported_ones(db):
    response = api_as(None).get(VARIABLES, {"q": "Leukämie", "lang": "xx"})
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "lang": ["Unknown language 'xx': use one of da, de, en, es, fi, fr, it, nl, pt, sv."]
    }


def test_the_answer_says_what_the_thesaurus_added_and_offers_a_correction(indexed):
    body = api_as(None).get(DATASETS, {"q": "Leukämie", "lang": "de"}).json()
    # "leukaemia" in the Munich description, "Acute myeloid leukaemia" as the relapse study's disease.
    assert {hit["title"] for hit in body["results"]} == {"AML cohort München", "AML relapse study"}
    assert "leukemia" in body["expanded_terms"] and "leucémie" in body["expanded_terms"]
    assert body["did_you_mean"] is None
    body = api_as(None).get(VARIABLES, {"q": "laboratoyr notes"}).json()
    # No word matches; the semantic leg still finds the variable, and the correction is offered.
    assert [hit["name"] for hit in body["results"]] == ["lab_notes"] and body["expanded_terms"] == []
    assert body["did_you_mean"] == "laboratory notes"


def test_dataset_hits_carry_their_matching_variables(indexed):
    [hit] = api_as(None).get(DATASETS, {"q": "ELN 2022 risk", "matched_variables": "true"}).json()["results"]
    [variable] = hit["matched_variables"]
    assert variable["name"] == "eln2022_risk" and variable["label"] == "ELN 2022 risk"
    assert variable["highlights"]["label"] == "<mark>ELN</mark> <mark>2022</mark> <mark>risk</mark>"
    [hit] = api_as(None).get(DATASETS, {"q": "ELN 2022 risk"}).json()["results"]
    assert hit["matched_variables"] == []  # not asked for
