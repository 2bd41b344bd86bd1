"""Read-only vocabularies (DUO terms, disease areas, data types, concepts) and the dictionary template."""

import io

import pytest
from openpyxl import load_workbook

from tests.catalogue.api_helpers import by_role, client_for
from tests.catalogue.factories import ConceptFactory


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(200, 200, 200, 200, 200))
def test_duo_terms(cast, role, expected):
    client = client_for(cast, role)
    response = client.get("/api/v1/duo-terms/")
    assert response.status_code == expected
    assert len(response.json()) == 25
    terms = {term["short_code"]: term for term in response.json()}
    assert terms["DS"] == {
        "id": "DUO:0000007",
        "short_code": "DS",
        "label": "disease specific research",
        "kind": "permission",
        "definition": "This data use permission indicates that use is allowed provided it is related to the "
        "specified disease.",
        "example": terms["DS"]["example"],
        "label_translations": {
            "de": "krankheitsspezifische Forschung",
            "fr": "recherche sur une maladie spécifique",
            "it": "ricerca su una malattia specifica",
            "es": "investigación sobre una enfermedad específica",
        },
        "definition_translations": terms["DS"]["definition_translations"],
        "example_translations": terms["DS"]["example_translations"],
    }
    assert "acute myeloid leukaemia" in terms["DS"]["example"]
    assert terms["DS"]["definition_translations"]["de"].startswith("Diese Datennutzungserlaubnis gibt an")
    assert "akuten myeloischen Leukämie" in terms["DS"]["example_translations"]["de"]
    assert client.get("/api/v1/duo-terms/DUO:0000024/").json()["short_code"] == "MOR"
    permissions = client.get("/api/v1/duo-terms/?kind=permission").json()
    assert sorted(t["short_code"] for t in permissions if t["short_code"]) == ["DS", "GRU", "HMB", "NRES", "POA"]
    assert client.post("/api/v1/duo-terms/", {}).status_code in {403, 405}


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(200, 200, 200, 200, 200))
def test_disease_areas_and_data_types(cast, role, expected):
    client = client_for(cast, role)
    diseases = client.get("/api/v1/disease-areas/")
    assert diseases.status_code == expected
    assert {d["code"]: d["parent"] for d in diseases.json()}["DLBCL"] == "NHL"
    assert client.get("/api/v1/disease-areas/AML/").json()["icd10"].startswith("C92.0")
    aml = client.get("/api/v1/disease-areas/AML/").json()
    assert (aml["mondo"], aml["doid"]) == ("MONDO:0018874", "DOID:9119")
    assert aml["name_translations"]["de"] == "Akute myeloische Leukämie"


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(200, 200, 200, 200, 200))
def test_mondo_subset_with_its_ancestry(cast, role, expected):
    client = client_for(cast, role)
    response = client.get("/api/v1/mondo-terms/")
    assert response.status_code == expected
    terms = {term["id"]: term for term in response.json()}
    assert len(terms) == 27
    assert terms["MONDO:0012883"] == {
        "id": "MONDO:0012883",
        "name": "acute promyelocytic leukemia",
        "name_translations": {
            "de": "akute Promyelozytenleukämie",
            "fr": "leucémie aiguë promyélocytaire",
            "it": "leucemia acuta promielocitica",
            "es": "leucemia promielocítica aguda",
        },
        "doid": "DOID:0060318",
        "parents": ["MONDO:0018874"],
    }
    assert sorted(terms["MONDO:0044881"]["parents"]) == ["MONDO:0004992", "MONDO:0005570"]
    assert client.get("/api/v1/mondo-terms/MONDO:0018905/").json()["name"] == "diffuse large B-cell lymphoma"
    assert client.post("/api/v1/mondo-terms/", {}).status_code in {403, 405}
    assert "wgs" in [t["code"] for t in client.get("/api/v1/data-types/").json()]


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(200, 200, 200, 200, 200))
def test_concepts(cast, role, expected):
    ConceptFactory(vocabulary_id="HGNC", code="FLT3", name="fms related receptor tyrosine kinase 3")
    ConceptFactory(vocabulary_id="LOINC", code="718-7", name="Hemoglobin [Mass/volume] in Blood")
    client = client_for(cast, role)
    response = client.get("/api/v1/concepts/?vocabulary=HGNC")
    assert response.status_code == expected
    assert [c["code"] for c in response.json()["results"]] == ["FLT3"]
    assert [c["code"] for c in client.get("/api/v1/concepts/?q=hemoglobin").json()["results"]] == ["718-7"]


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(200, 200, 200, 200, 200))
def test_dictionary_templates(cast, role, expected):
    client = client_for(cast, role)
    csv_response = client.get("/api/v1/dictionary-template/csv/")
    assert csv_response.status_code == expected
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    header = csv_response.content.decode().split("\r\n", 1)[0].split(",")
    assert header[:8] == [
        "name",
        "label",
        "description",
        "value_type",
        "unit",
        "categories",
        "completeness",
        "concepts",
    ]
    assert {"label_de", "label_fr", "description_es"} <= set(header)
    xlsx = client.get("/api/v1/dictionary-template/xlsx/")
    assert xlsx.status_code == expected
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames == ["variables", "columns"]
    assert client.get("/api/v1/dictionary-template/pdf/").status_code == 404
