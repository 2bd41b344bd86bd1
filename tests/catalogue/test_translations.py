"""Catalogue text in several languages: the API reads and writes it with a clear 400 for an unknown language
code, and the dataset page shows the reader's language first when it has a translation, else English."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from catalogue.models import Dataset
from catalogue.search.backends.database import DatabaseSearchBackend
from catalogue.translations import texts_for
from tests.catalogue.api_helpers import client_for
from tests.catalogue.factories import DatasetFactory, VariableFactory
from tests.search.conftest import sync

NEW_DATASET = {"partner": "aha", "title": "Heidelberg AML Registry"}


def test_the_readers_language_comes_first_else_english():
    translations = {"fr": "Taux d'hémoglobine", "de": "Hämoglobin"}
    assert texts_for("de-at", "Haemoglobin", translations) == [
        ("de", "Hämoglobin"),
        ("en", "Haemoglobin"),
        ("fr", "Taux d'hémoglobine"),
    ]
    assert texts_for("it", "Haemoglobin", translations)[0] == ("en", "Haemoglobin")
    assert texts_for("en", "", translations) == [("de", "Hämoglobin"), ("fr", "Taux d'hémoglobine")]
    assert texts_for("en", "", {}) == []


@pytest.mark.django_db
def test_dataset_translations_are_written_and_read_back(cast):
    olga = client_for(cast, "olga_owner_curator")
    body = {
        **NEW_DATASET,
        "title_translations": {"de": "Heidelberger AML-Register"},
        "description_translations": {"fr": "Adultes atteints de LAM", "it": "Adulti con LAM"},
    }
    response = olga.post("/api/v1/datasets/", body, format="json")
    assert response.status_code == 201, response.json()
    slug = response.json()["slug"]
    detail = olga.get(f"/api/v1/datasets/{slug}/").json()
    assert detail["title_translations"] == {"de": "Heidelberger AML-Register"}
    assert detail["description_translations"] == {"fr": "Adultes atteints de LAM", "it": "Adulti con LAM"}
    response = olga.patch(f"/api/v1/datasets/{slug}/", {"title_translations": {"nl": "AML-register"}}, format="json")
    assert response.status_code == 200
    assert Dataset.objects.get(slug=slug).title_translations == {"nl": "AML-register"}


@pytest.mark.django_db
def test_unknown_language_code_is_a_400_with_the_field_message(cast):
    olga = client_for(cast, "olga_owner_curator")
    response = olga.post(
        "/api/v1/datasets/", {**NEW_DATASET, "title_translations": {"xx": "?", "de": "Register"}}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "title_translations": ["Unknown language code(s): xx; use one of en, de, fr, it, es, nl, pt, sv, da, fi."]
    }
    assert not Dataset.objects.exists()
    response = olga.post("/api/v1/datasets/", {**NEW_DATASET, "description_translations": ["de"]}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["description_translations"]


@pytest.mark.django_db
def test_variable_translations_through_the_api(cast):
    DatasetFactory(partner=cast.partner_a, slug="pub-a")
    olga = client_for(cast, "olga_owner_curator")
    body = {
        "name": "hb",
        "value_type": "decimal",
        "label": "Haemoglobin",
        "label_translations": {"de": "Hämoglobin", "nl": "hemoglobine"},
    }
    response = olga.post("/api/v1/datasets/pub-a/variables/", body, format="json")
    assert response.status_code == 201, response.json()
    variable_id = response.json()["id"]
    shown = client_for(cast, "anonymous").get(f"/api/v1/datasets/pub-a/variables/{variable_id}/").json()
    assert shown["label_translations"] == {"de": "Hämoglobin", "nl": "hemoglobine"}
    assert shown["description_translations"] == {}
    response = olga.patch(
        f"/api/v1/datasets/pub-a/variables/{variable_id}/",
        {"description_translations": {"klingon": "x"}, "label_translations": {"fr": "a" * 301}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "label_translations": ["The fr text has at most 300 characters (this one has 301)."],
        "description_translations": [
            "Unknown language code(s): klingon; use one of en, de, fr, it, es, nl, pt, sv, da, fi."
        ],
    }


@pytest.mark.django_db
def test_dataset_page_shows_the_readers_language_first(cast):
    dataset = DatasetFactory(
        partner=cast.partner_a,
        title="AML registry",
        title_translations={"de": "AML-Register"},
        description="Adults with AML.",
        description_translations={"de": "Erwachsene mit AML."},
    )
    VariableFactory(dataset=dataset, name="hb", label="Haemoglobin", label_translations={"de": "Hämoglobin"})
    url = reverse("dataset_detail", args=[dataset.slug])
    english = Client().get(url).content.decode()
    assert "<h1>AML registry" in english
    assert '<span lang="de">DE AML-Register</span>' in english
    assert '<span lang="en">Haemoglobin</span>' in english
    german = Client(headers={"accept-language": "de"}).get(url).content.decode()
    assert '<html lang="de">' in german
    assert "<h1>AML-Register" in german  # in the page's language: no lang attribute of its own
    assert '<div lang="de"><p>Erwachsene mit AML.</p></div>' in german
    assert '<span lang="de">Hämoglobin</span>' in german
    assert '<span lang="en">EN Haemoglobin</span>' in german


@pytest.mark.django_db
@override_settings(SEARCH_BACKEND="database")
def test_translated_titles_and_labels_are_searchable(cast):
    dataset = DatasetFactory(
        partner=cast.partner_a, title="AML registry", title_translations={"nl": "Leukemieregister"}
    )
    VariableFactory(dataset=dataset, name="hb", label="Haemoglobin", label_translations={"de": "Hämoglobin"})
    backend = DatabaseSearchBackend()
    backend.clear()
    sync(backend)
    client = Client()
    variables = client.get("/api/v1/search/variables/", {"q": "Hämoglobin"}).json()["results"]
    assert [hit["name"] for hit in variables] == ["hb"]
    datasets = client.get("/api/v1/search/datasets/", {"q": "leukemieregister"}).json()["results"]
    assert [hit["slug"] for hit in datasets] == [dataset.slug]
