"""Researchers' tools: cite a dataset, download its data dictionary (and re-import it unchanged), compare
datasets side by side."""

from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from catalogue.citation import cite, doi_of
from catalogue.importers.dictionary import import_data_dictionary
from catalogue.models import DuoTerm
from tests.catalogue.factories import ConsentFactory, DatasetFactory, DraftDatasetFactory, VariableFactory

pytestmark = pytest.mark.django_db

DICTIONARY = (
    "name,label,description,value_type,unit,categories,completeness,concepts,label_de\r\n"
    "npm1_status,NPM1 mutation status,Exon 12,categorical,,0=not mutated; 1=mutated; 9=not tested,92.5,"
    "HGNC:NPM1=nucleophosmin 1,NPM1-Mutationsstatus\r\n"
    'flt3_ratio,FLT3-ITD allelic ratio,,decimal,{ratio},,80,"HGNC:FLT3",\r\n'
    'stage,Stage,,categorical,,"I=stage 1; early\nII=stage 2",,,\r\n'
    "wbc,White blood cells,,decimal,10*9/L,,100,LOINC:6690-2,Leukozyten\r\n"
)


def client_as(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def registry(cast):
    dataset = DatasetFactory(
        partner=cast.partner_a,
        title="AML Registry",
        slug="aml-registry",
        version="2.1",
        persistent_identifier="doi:10.5281/zenodo.1234567",
        patient_count=2150,
        collection_start=datetime.date(2012, 1, 1),
        collection_end=datetime.date(2022, 12, 31),
        diseases=["AML"],
    )
    dataset.published_at = timezone.make_aware(datetime.datetime(2024, 5, 2))
    dataset.save()
    return dataset


# --- cite -------------------------------------------------------------------------------------------------


def test_citation_names_the_doi(registry):
    citation = cite(registry, page_url="https://catalogue.example/datasets/aml-registry/")
    assert citation.text == (
        "Academic Hospital A (2024). AML Registry. Version 2.1. HARMONY Alliance. Dataset. "
        "https://doi.org/10.5281/zenodo.1234567"
    )
    assert citation.bibtex == (
        "@misc{aha_aml_registry_2024,\n"
        "  author = {{Academic Hospital A}},\n"
        "  title = {AML Registry},\n"
        "  year = {2024},\n"
        "  version = {2.1},\n"
        "  publisher = {HARMONY Alliance},\n"
        "  doi = {10.5281/zenodo.1234567},\n"
        "  note = {Dataset}\n"
        "}"
    )


def test_citation_without_identifier_names_the_page_and_escapes_bibtex(cast):
    dataset = DatasetFactory(partner=cast.partner_a, title="R&D cohort_50%", slug="rd", persistent_identifier="")
    citation = cite(dataset, page_url="https://catalogue.example/datasets/rd/")
    assert citation.text.endswith("Dataset. https://catalogue.example/datasets/rd/")
    assert r"title = {R\&D cohort\_50\%}" in citation.bibtex
    assert "url = {https://catalogue.example/datasets/rd/}" in citation.bibtex


@pytest.mark.parametrize(
    "identifier,doi",
    [
        ("10.1000/xyz", "10.1000/xyz"),
        ("https://doi.org/10.1000/XYZ", "10.1000/XYZ"),
        ("doi:10.1000/xyz", "10.1000/xyz"),
        ("hdl:20.500.12345/1", ""),
        ("", ""),
    ],
)
def test_doi_spellings(identifier, doi):
    assert doi_of(identifier) == doi


def test_dataset_page_shows_the_citation(registry):
    html = client_as().get(reverse("dataset_detail", args=[registry.slug])).content.decode()
    assert "Cite this dataset" in html
    assert "https://doi.org/10.5281/zenodo.1234567" in html
    assert "@misc{aha_aml_registry_2024," in html


# --- data dictionary download -----------------------------------------------------------------------------


def imported(cast, dataset):
    result = import_data_dictionary(
        actor=cast.olga_owner_curator, dataset=dataset, file=io.BytesIO(DICTIONARY.encode()), filename="d.csv"
    )
    assert result.ok, result.errors
    return result


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_downloaded_dictionary_reimports_unchanged(cast, registry, fmt):
    imported(cast, registry)
    response = client_as().get(reverse("dataset_dictionary_download", args=[registry.slug, fmt]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="aml-registry-data-dictionary.{fmt}"'
    content = b"".join(response.streaming_content) if fmt == "csv" else response.content
    again = import_data_dictionary(
        actor=cast.olga_owner_curator, dataset=registry, file=io.BytesIO(content), filename=f"download.{fmt}"
    )
    assert again.ok, again.errors
    assert (again.created, again.updated, again.unchanged, again.removed) == (0, 0, 4, 0)
    if fmt == "csv":
        lines = content.decode().splitlines()
        assert lines[1].startswith("npm1_status,NPM1 mutation status,Exon 12,categorical,,0=not mutated; 1=mutated")
        assert ",I=stage 1; early | II=stage 2," in content.decode()  # a label with ";": joined by "|"
    else:
        sheet = load_workbook(io.BytesIO(content)).active
        assert [cell.value for cell in sheet[1]][:4] == ["name", "label", "description", "value_type"]


def test_download_follows_visibility_and_the_curators_choice(cast, registry):
    url = reverse("dataset_dictionary_download", args=[registry.slug, "csv"])
    registry.dictionary_downloadable = False
    registry.save()
    response = client_as(cast.rita_researcher).get(url)
    assert response.status_code == 403
    assert client_as(cast.olga_owner_curator).get(url).status_code == 200
    html = client_as(cast.rita_researcher).get(reverse("dataset_detail", args=[registry.slug])).content.decode()
    assert "do not offer its data dictionary for download" in html
    assert "Dictionary as CSV" not in html

    draft = DraftDatasetFactory(partner=cast.partner_a, slug="secret")
    assert client_as().get(reverse("dataset_dictionary_download", args=[draft.slug, "csv"])).status_code == 404


def test_curators_switch_the_download_off_in_the_edit_form(cast, registry):
    form = client_as(cast.olga_owner_curator).get(reverse("dataset_edit", args=[registry.slug])).content.decode()
    assert (
        'name="dictionary_downloadable"' in form and "checked" in form.split('name="dictionary_downloadable"')[1][:80]
    )


# --- compare ----------------------------------------------------------------------------------------------


def test_compare_side_by_side_with_my_use_and_key_variables(cast, registry):
    other = DatasetFactory(
        partner=cast.partner_b, title="MM Cohort", slug="mm-cohort", patient_count=830, diseases=["MM"]
    )
    ConsentFactory(dataset=registry, form_version="v3", permission=DuoTerm.objects.get(short_code="HMB"))
    ConsentFactory(
        dataset=other,
        form_version="v1",
        permission=DuoTerm.objects.get(short_code="DS"),
        diseases=["MM"],
    )
    imported(cast, registry)
    VariableFactory(dataset=other, name="iss_stage", label="ISS stage")
    response = client_as().get(
        reverse("dataset_compare"),
        {
            "datasets": ["aml-registry", "mm-cohort"],
            "use_purpose": "HMB",
            "use_will_publish": "true",
            "key": "HGNC:NPM1\nISS stage\nwbc",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("AML Registry") < html.index("MM Cohort")
    assert "2,150" in html and "2012\N{EN DASH}2022" in html
    assert "Consent admits this use" in html and "Consent does not admit this use" in html
    assert 'name="use_will_publish" value="true" checked' in html  # the stated use is kept in the form
    assert html.count("not held") == 3  # NPM1 and wbc in the MM cohort, ISS stage in the registry
    assert "<code>npm1_status</code>" in html and "<code>iss_stage</code>" in html and "<code>wbc</code>" in html


def test_compare_refuses_more_than_four_and_names_unknown_datasets(cast, registry):
    slugs = ["aml-registry", "a", "b", "c", "d"]
    response = client_as().get(reverse("dataset_compare"), {"datasets": slugs})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Compare at most 4 datasets at a time." in html
    assert "No dataset matches: a, b, c." in html


def test_compare_does_not_show_drafts_to_others(cast):
    draft = DraftDatasetFactory(partner=cast.partner_a, title="Secret Draft", slug="secret")
    html = client_as(cast.rita_researcher).get(reverse("dataset_compare"), {"datasets": [draft.slug]}).content.decode()
    assert "No dataset matches: secret." in html
    assert "Secret Draft" not in html
