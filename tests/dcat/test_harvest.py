"""Harvesting a partner's DCAT-AP catalogue into draft datasets: what maps, what is reported, all or nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from catalogue.dcat.export import catalog_graph
from catalogue.models import Dataset, DatasetStatus, Distribution, MembershipRole
from catalogue.services.memberships import membership_grant
from tests.catalogue.factories import DatasetFactory, PartnerFactory, UserFactory

FOREIGN_CATALOGUE = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix health: <http://healthdataportal.eu/ns/health#> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://ckan.example.org/dataset/mds-registry> a dcat:Dataset ;
    dct:title "MDS-Register Düsseldorf"@de, "Düsseldorf MDS registry"@en ;
    dct:description "Patients with myelodysplastic neoplasms since 1982."@en ;
    dct:identifier "https://doi.org/10.1234/mds-dus" ;
    dcat:keyword "MDS", "IPSS-R" ;
    dct:spatial <http://publications.europa.eu/resource/authority/country/DEU> ;
    dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "1982-01-01"^^xsd:date ; dcat:endDate "2024-12-31"^^xsd:date ] ;
    health:numberOfUniqueIndividuals "9000"^^xsd:nonNegativeInteger ;
    dcat:contactPoint [ a vcard:Kind ; vcard:hasEmail <mailto:mds@example.org> ] ;
    dct:conformsTo <https://example.org/some-profile> ;
    dcat:distribution [ a dcat:Distribution ; dct:title "Request portal"@en ;
                        dcat:accessURL <https://portal.example.org/mds> ] .

<https://ckan.example.org/dataset/untitled> a dcat:Dataset ; dcat:keyword "nothing" .
"""


@pytest.fixture
def curator(db):
    partner = PartnerFactory(name="Uniklinik Düsseldorf", slug="ukd")
    user = UserFactory(username="hedda")
    membership_grant(partner=partner, user=user, role=MembershipRole.CURATOR)
    return partner, user


def harvest(user, **data):
    client = APIClient()
    client.force_authenticate(user)
    return client.post("/api/v1/dcat/harvest/", data, format="multipart")


def test_a_foreign_catalogue_becomes_drafts_with_what_maps(curator):
    partner, user = curator
    upload = io.BytesIO(FOREIGN_CATALOGUE.encode())
    upload.name = "catalogue.ttl"
    response = harvest(user, partner="ukd", file=upload)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert len(body["created"]) == 1
    assert body["skipped"] == ["https://ckan.example.org/dataset/untitled: it has no dct:title."]
    assert {"property": "http://purl.org/dc/terms/conformsTo", "count": 1} in body["unmapped"]
    dataset = Dataset.objects.get(slug=body["created"][0])
    assert dataset.status == DatasetStatus.DRAFT
    assert dataset.partner == partner
    assert dataset.title == "Düsseldorf MDS registry"
    assert dataset.title_translations == {"de": "MDS-Register Düsseldorf"}
    assert dataset.persistent_identifier == "https://doi.org/10.1234/mds-dus"
    assert dataset.patient_countries == ["DE"]
    assert (dataset.collection_start.isoformat(), dataset.collection_end.isoformat()) == ("1982-01-01", "2024-12-31")
    assert dataset.patient_count == 9000
    assert dataset.contact_email == "mds@example.org"
    assert sorted(dataset.keywords) == ["IPSS-R", "MDS"]
    assert [d.access_url for d in dataset.distributions.all()] == ["https://portal.example.org/mds"]
    # Harvesting again skips what the partner already has.
    upload.seek(0)
    again = harvest(user, partner="ukd", file=upload).json()
    assert again["created"] == []
    assert "already has" in again["skipped"][0]


def test_only_the_partners_curators_may_harvest(curator):
    other = UserFactory()
    upload = io.BytesIO(FOREIGN_CATALOGUE.encode())
    response = harvest(other, partner="ukd", file=upload)
    assert response.status_code == 403
    assert not Dataset.objects.exists()
    assert APIClient().post("/api/v1/dcat/harvest/", {"partner": "ukd"}).status_code in (401, 403)


def test_bad_input_is_a_400_and_writes_nothing(curator):
    _, user = curator
    garbage = io.BytesIO(b"this is not RDF {")
    response = harvest(user, partner="ukd", file=garbage)
    assert response.status_code == 400
    assert response.json()["fields"]["file"][0] == "Not a DCAT-AP catalogue in Turtle, JSON-LD or RDF/XML."
    neither = harvest(user, partner="ukd")
    assert neither.json()["fields"] == {"file": ["Give either a file or a URL."]}
    assert not Dataset.objects.exists()


def test_round_trip_of_our_own_export(curator, tmp_path):
    """Our own DCAT-AP export harvests back into another partner with nothing important lost."""
    source = DatasetFactory(title="AML cohort Ulm", patient_count=1500, patient_countries=["DE", "AT"])
    Distribution.objects.create(dataset=source, title="Portal", kind="url", access_url="https://portal.example.org/aml")
    partner, _ = curator
    path = tmp_path / "catalog.ttl"
    path.write_bytes(catalog_graph().graph.serialize(format="turtle", encoding="utf-8"))
    out = io.StringIO()
    call_command("dcat_harvest", str(path), partner="ukd", username="hedda", stdout=out)
    copy = Dataset.objects.get(partner=partner)
    assert (copy.title, copy.patient_count, copy.patient_countries) == ("AML cohort Ulm", 1500, ["AT", "DE"])
    assert "Created 1 draft dataset(s)" in out.getvalue()
    with pytest.raises(CommandError, match="No partner with the slug 'nope'"):
        call_command("dcat_harvest", str(path), partner="nope", username="hedda")
