"""What makes a search request cheap must not change what it answers.

* The API builds its hits by hand (``catalogue.search.api.payloads``); they must equal what the documenting
  serializers (the OpenAPI schema's ``DatasetHitSerializer`` / ``VariableHitSerializer``) render for the same
  hits, on every backend and for every kind of hit: browsed (no score), highlighted, with an intended use's
  verdict and its reasons, with matched variables, with missing counts and open collection periods.
* The search views encode their JSON with orjson: it must read exactly as DRF's own JSON renderer's would, for
  hits, facets, the semantic note and the error body; the hits' memoised URLs follow the site's script prefix.
* The parameter serializers build their fields once per class; one request's values and errors must never
  reach another's, and an instance given a context still gets fields of its own.
"""

from __future__ import annotations

import json

import pytest
from django.http import QueryDict
from django.test.utils import override_script_prefix
from rest_framework.renderers import JSONRenderer

from catalogue.consent_matching import IntendedUse
from catalogue.search import selectors
from catalogue.search.api import payloads
from catalogue.search.api.serializers import (
    DatasetHitSerializer,
    DatasetSearchParamsSerializer,
    VariableHitSerializer,
    VariableSearchParamsSerializer,
)
from catalogue.search.backends.database import DatabaseSearchBackend
from catalogue.search.intended_use import NOT_ADMITTED
from tests.catalogue.factories import DatasetFactory, VariableFactory
from tests.search.conftest import Corpus, sync

PUBLISHING_HEALTH_RESEARCH = IntendedUse(purpose="HMB")  # no publication promised: the Munich cohort needs one


@pytest.fixture
def indexed(search_backend, corpus: Corpus) -> Corpus:
    unknown_size = DatasetFactory(
        partner=corpus.cast.partner_b,
        title="Registry of unknown size",
        slug="registry-unknown-size",
        patient_count=None,
        sample_count=None,
        collection_start=None,
        collection_end=None,
    )
    VariableFactory(dataset=unknown_size, name="npm1_result", label="NPM1 result", unit="")
    sync(search_backend)
    return corpus


def _searches(backend, kind: str):
    search = selectors.search_datasets if kind == "datasets" else selectors.search_variables
    extra = {"with_matched_variables": True} if kind == "datasets" else {}
    yield search(user=None, backend=backend)  # browsing: no score, no highlights
    yield search(user=None, text="npm1", backend=backend, **extra)
    yield search(user=None, text="aml", intended_use=PUBLISHING_HEALTH_RESEARCH, backend=backend, **extra)
    yield search(user=None, text="registry", sort="patients", backend=backend, **extra)


@pytest.mark.parametrize(
    ("kind", "build", "serializer"),
    [
        ("datasets", payloads.dataset_hit, DatasetHitSerializer),
        ("variables", payloads.variable_hit, VariableHitSerializer),
    ],
)
def test_hand_built_hits_equal_the_documenting_serializer(search_backend, indexed, kind, build, serializer):
    hits = [hit for results in _searches(search_backend, kind) for hit in results.hits]
    for hit in hits:
        built = build(hit)
        rendered = serializer(hit).data
        assert built == rendered
        assert list(built) == list(rendered)  # the same keys in the same order, so the JSON reads the same
    # The hits covered every shape a field can take.
    assert any(hit.score is None for hit in hits) and any(hit.score is not None for hit in hits)
    assert any(hit.highlights for hit in hits)
    assert any(hit.use_verdict and hit.use_verdict.status == NOT_ADMITTED and hit.use_verdict.reasons for hit in hits)
    assert any(hit.document.get("patient_count") is None for hit in hits)
    if kind == "datasets":
        assert any(hit.matched_variables for hit in hits)
        assert any(hit.document["collection_end"] is None for hit in hits)
    else:
        assert any(hit.document["concepts"] for hit in hits)


def test_the_api_answers_with_the_serializers_rendering(corpus, settings, client):
    settings.SEARCH_BACKEND = "database"
    sync(DatabaseSearchBackend())
    params = {"q": "aml", "use_purpose": "HMB", "matched_variables": "true"}
    response = client.get("/api/v1/search/datasets/", params)
    assert response.status_code == 200
    results = selectors.search_datasets(
        user=None, text="aml", intended_use=PUBLISHING_HEALTH_RESEARCH, with_matched_variables=True
    )
    assert results.hits
    assert response.json()["results"] == [DatasetHitSerializer(hit).data for hit in results.hits]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/search/datasets/", {"q": "aml", "use_purpose": "HMB", "matched_variables": "true"}),
        ("/api/v1/search/datasets/", {"q": "münchen", "disease": ["AML", "MM"], "sort": "patients"}),
        ("/api/v1/search/variables/", {"q": "npm1 status"}),
        ("/api/v1/search/variables/", {}),
        ("/api/v1/search/variables/", {"sort": "colour", "page_size": "0"}),  # the 400 error body
        ("/api/v1/search/suggest/", {"q": "np"}),
        ("/api/v1/search/feasibility/", {"concept": ["HGNC:NPM1"]}),
    ],
)
def test_search_responses_read_as_drfs_json_renderer_writes_them(corpus, settings, client, path, params):
    settings.SEARCH_BACKEND = "database"
    sync(DatabaseSearchBackend())
    response = client.get(path, params)
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == json.loads(JSONRenderer().render(response.data))
    assert response.content.decode() == json.dumps(
        json.loads(response.content), ensure_ascii=False, separators=(",", ":")
    )


def test_hit_urls_follow_the_script_prefix(corpus, settings, client):
    settings.SEARCH_BACKEND = "database"
    sync(DatabaseSearchBackend())
    plain = client.get("/api/v1/search/datasets/", {"q": "aml"}).json()["results"]
    with override_script_prefix("/catalogue/"):
        prefixed = client.get("/api/v1/search/datasets/", {"q": "aml"}).json()["results"]
    assert plain and [hit["url"] for hit in prefixed] == ["/catalogue" + hit["url"] for hit in plain]
    assert plain[0]["url"] == f"/datasets/{plain[0]['slug']}/"


def test_parameters_validated_one_after_another_share_no_values_or_errors(db):
    wrong = DatasetSearchParamsSerializer(data=QueryDict("sort=colour&page_size=500"))
    unknown = DatasetSearchParamsSerializer(data=QueryDict("disease=FLU"))
    right = DatasetSearchParamsSerializer(data=QueryDict("q=npm1&disease=AML&country=DE&country=FR"))
    assert not wrong.is_valid() and not unknown.is_valid()
    assert right.is_valid(), right.errors
    assert set(wrong.errors) == {"sort", "page_size"}
    assert unknown.errors == {"disease": ["Unknown disease area 'FLU'."]}
    assert right.validated_data["q"] == "npm1"
    assert right.filters() == {"disease": ["AML"], "country": ["DE", "FR"]}
    plain = DatasetSearchParamsSerializer(data=QueryDict(""))
    assert plain.is_valid(), plain.errors
    assert plain.validated_data["q"] == "" and plain.filters() == {}
    assert wrong.fields is right.fields  # built once for the class
    variables = VariableSearchParamsSerializer(data=QueryDict("value_type=decimal"))
    assert variables.is_valid(), variables.errors
    assert "value_type" in variables.fields and "value_type" not in right.fields


def test_a_serializer_given_a_context_builds_its_own_fields(db):
    shared = DatasetSearchParamsSerializer(data=QueryDict("q=aml"))
    own = DatasetSearchParamsSerializer(data=QueryDict("q=aml"), context={"request": None})
    assert own.fields is not shared.fields
    assert own.fields["q"].context == {"request": None}
    assert own.is_valid() and own.validated_data["q"] == "aml"
