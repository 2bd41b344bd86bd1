"""The DCAT-AP 3 / HealthDCAT-AP export, validated against the official SEMIC shapes with pyshacl."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SH

from catalogue.dcat.export import catalog_graph, dataset_iri
from catalogue.dcat.vocab import HEALTHDCATAP
from catalogue.models import Dataset, DatasetStatus
from tests.catalogue.factories import ConsentFactory, DatasetFactory, DraftDatasetFactory, PartnerFactory


def violations(data: Graph, shapes: Graph) -> list[str]:
    _, report, _ = validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    messages = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) == SH.Violation:
            focus = report.value(result, SH.focusNode)
            path = report.value(result, SH.resultPath)
            messages.append(f"{focus} {path}: {report.value(result, SH.resultMessage)}")
    return messages


@pytest.mark.django_db
def test_every_demo_dataset_conforms_to_dcat_ap_3(dcat_ap_shapes):
    call_command("seed_demo", verbosity=0)
    published = Dataset.objects.filter(status=DatasetStatus.PUBLISHED).count()
    page = catalog_graph(page=1, page_size=published)
    datasets = set(page.graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == published > 50
    assert violations(page.graph, dcat_ap_shapes) == []


@pytest.mark.django_db
def test_a_broken_dataset_is_caught(dcat_ap_shapes):
    dataset = DatasetFactory(title="AML registry", description="Adults with AML.")
    graph = catalog_graph().graph
    graph.remove((dataset_iri(dataset), DCTERMS.description, None))
    graph.add((dataset_iri(dataset), DCAT.distribution, URIRef("http://example.org/not-a-distribution")))
    found = violations(graph, dcat_ap_shapes)
    assert any(str(DCTERMS.description) in message for message in found), found
    assert any(str(DCAT.distribution) in message for message in found), found


@pytest.mark.django_db
def test_health_extensions_and_consents(client):
    partner = PartnerFactory(name="Hospital Clínic", country="ES")
    dataset = DatasetFactory(partner=partner, patient_count=812, sample_count=900, patient_countries=["ES", "PT"])
    ConsentFactory(dataset=dataset)
    DraftDatasetFactory(partner=partner, title="Unpublished draft")
    response = client.get("/api/v1/dcat/catalog.ttl")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=response.content, format="turtle")
    node = dataset_iri(dataset)
    assert [str(o) for o in graph.objects(node, HEALTHDCATAP.numberOfUniqueIndividuals)] == ["812"]
    assert [str(o) for o in graph.objects(node, HEALTHDCATAP.numberOfRecords)] == ["900"]
    assert len(list(graph.objects(node, DCTERMS.rights))) == 1
    assert len(list(graph.subjects(RDF.type, DCAT.Dataset))) == 1  # the draft is not exported


@pytest.mark.django_db
@pytest.mark.parametrize(
    "accept,media_type,rdflib_format",
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
    ],
)
def test_dataset_url_negotiates_rdf(client, accept, media_type, rdflib_format):
    dataset = DatasetFactory()
    response = client.get(f"/datasets/{dataset.slug}/", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(media_type)
    assert "Accept" in response["Vary"]
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert (dataset_iri(dataset), RDF.type, DCAT.Dataset) in graph
    html = client.get(f"/datasets/{dataset.slug}/", HTTP_ACCEPT="text/html,*/*;q=0.8")
    assert html["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_dataset_page_embeds_schema_org_json_ld(client):
    dataset = DatasetFactory(title="AML <script> cohort", patient_count=120)
    page = client.get(f"/datasets/{dataset.slug}/").content.decode()
    start = page.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    text = page[start : page.index("</script>", start)]
    assert "<script>" not in text
    document = json.loads(text)
    assert document["@type"] == "Dataset"
    assert document["name"] == "AML <script> cohort"


@pytest.mark.django_db
def test_catalog_is_paged(client, settings):
    for _ in range(3):
        DatasetFactory()
    from catalogue.dcat import views

    views.PAGE_SIZE, saved = 2, views.PAGE_SIZE
    try:
        first = Graph().parse(data=client.get("/api/v1/dcat/catalog.ttl").content, format="turtle")
        second = Graph().parse(data=client.get("/api/v1/dcat/catalog.ttl?page=2").content, format="turtle")
    finally:
        views.PAGE_SIZE = saved
    assert len(set(first.subjects(RDF.type, DCAT.Dataset))) == 2
    assert len(set(second.subjects(RDF.type, DCAT.Dataset))) == 1
    assert "page=2" in first.serialize(format="turtle")
    bad = client.get("/api/v1/dcat/catalog.ttl?page=zero")
    assert bad.status_code == 400
    assert bad.json()["fields"] == {"page": ["A page number is a whole number from 1."]}
    assert client.get("/api/v1/dcat/catalog.ttl?page=9").status_code == 404


@pytest.mark.django_db
def test_the_governing_committee_is_the_access_body(client):
    from governance.models import DataAccessCommittee

    dataset = DatasetFactory()
    DataAccessCommittee.objects.create(name="AHA Data Access Committee", partner=dataset.partner)
    graph = Graph().parse(data=client.get(f"/api/v1/dcat/datasets/{dataset.slug}.ttl").content, format="turtle")
    bodies = list(graph.objects(dataset_iri(dataset), HEALTHDCATAP.hdab))
    assert [str(name) for body in bodies for name in graph.objects(body, FOAF.name)] == ["AHA Data Access Committee"]
