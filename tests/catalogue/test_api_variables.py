"""/api/v1/datasets/{slug}/variables/: list/search/order/page for whoever sees the dataset; writes and dictionary
imports for curators of the owning partner only; import errors as 400 with rows and nothing written."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalogue.models import Variable
from tests.catalogue.api_helpers import by_role, client_for
from tests.catalogue.factories import DatasetFactory, DraftDatasetFactory, VariableFactory

DICTIONARY = (
    "name,label,value_type,categories,concepts\n"
    "npm1,NPM1 mutation status,categorical,0=wild type; 1=mutated,HGNC:NPM1\n"
    "age,Age at diagnosis,integer,,\n"
)


@pytest.fixture
def datasets(cast):
    published = DatasetFactory(partner=cast.partner_a, slug="pub-a")
    draft = DraftDatasetFactory(partner=cast.partner_a, slug="draft-a")
    for position, name in enumerate(["flt3_itd", "npm1", "karyotype", "eln2022_risk"]):
        VariableFactory(dataset=published, name=name, label=name.upper(), position=position)
        VariableFactory(dataset=draft, name=name, position=position)
    return published, draft


def upload(text: str | bytes, name: str = "dictionary.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text if isinstance(text, bytes) else text.encode(), content_type="text/csv")


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(200, 200, 200, 200, 200))
def test_list_published_variables(cast, datasets, role, expected):
    response = client_for(cast, role).get("/api/v1/datasets/pub-a/variables/")
    assert response.status_code == expected
    assert [row["name"] for row in response.json()["results"]] == ["flt3_itd", "npm1", "karyotype", "eln2022_risk"]


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(404, 404, 200, 404, 200))
def test_draft_variables_are_hidden(cast, datasets, role, expected):
    assert client_for(cast, role).get("/api/v1/datasets/draft-a/variables/").status_code == expected
    variable_id = datasets[1].variables.first().pk
    assert client_for(cast, role).get(f"/api/v1/datasets/draft-a/variables/{variable_id}/").status_code == expected


@pytest.mark.django_db
def test_search_ordering_and_paging(cast, datasets):
    client = client_for(cast, "anonymous")
    names = lambda r: [row["name"] for row in r.json()["results"]]  # noqa: E731
    assert names(client.get("/api/v1/datasets/pub-a/variables/?search=NPM")) == ["npm1"]
    assert names(client.get("/api/v1/datasets/pub-a/variables/?ordering=name")) == [
        "eln2022_risk",
        "flt3_itd",
        "karyotype",
        "npm1",
    ]
    page = client.get("/api/v1/datasets/pub-a/variables/?page_size=3&page=2").json()
    assert (page["count"], [row["name"] for row in page["results"]]) == (4, ["eln2022_risk"])


@pytest.mark.django_db
def test_a_variable_of_another_dataset_is_not_reachable_through_this_one(cast, datasets):
    other = VariableFactory(dataset=DatasetFactory(partner=cast.partner_b))
    assert client_for(cast, "ada_admin").get(f"/api/v1/datasets/pub-a/variables/{other.pk}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(403, 403, 201, 403, 201))
def test_create_variable(cast, datasets, role, expected):
    body = {
        "name": "hb",
        "label": "Haemoglobin",
        "value_type": "decimal",
        "unit": "g/dL",
        "completeness": "98.50",
        "concepts": [{"vocabulary": "LOINC", "code": "718-7", "name": "Hemoglobin"}],
    }
    response = client_for(cast, role).post("/api/v1/datasets/pub-a/variables/", body, format="json")
    assert response.status_code == expected
    if expected == 201:
        assert response.json()["concepts"] == [{"vocabulary": "LOINC", "code": "718-7", "name": "Hemoglobin"}]
    assert Variable.objects.filter(name="hb").exists() == (expected == 201)


@pytest.mark.django_db
def test_create_variable_validation(cast, datasets):
    olga = client_for(cast, "olga_owner_curator")
    response = olga.post(
        "/api/v1/datasets/pub-a/variables/", {"name": "npm1", "value_type": "categorical"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "name": ["This dataset already has a variable named 'npm1'."],
        "categories": ['A categorical variable needs its categories, e.g. "0=negative; 1=positive".'],
    }
    response = olga.post("/api/v1/datasets/pub-a/variables/", {"name": "x", "value_type": "colour"}, format="json")
    assert response.json()["fields"] == {"value_type": ['"colour" is not a valid choice.']}


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(403, 403, 200, 403, 200))
def test_update_variable(cast, datasets, role, expected):
    variable = datasets[0].variables.get(name="npm1")
    response = client_for(cast, role).patch(
        f"/api/v1/datasets/pub-a/variables/{variable.pk}/", {"label": "NPM1 status"}, format="json"
    )
    assert response.status_code == expected
    variable.refresh_from_db()
    assert (variable.label == "NPM1 status") == (expected == 200)


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(403, 403, 204, 403, 204))
def test_delete_variable(cast, datasets, role, expected):
    variable = datasets[0].variables.get(name="npm1")
    response = client_for(cast, role).delete(f"/api/v1/datasets/pub-a/variables/{variable.pk}/")
    assert response.status_code == expected
    assert Variable.objects.filter(pk=variable.pk).exists() == (expected != 204)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "slug,role,expected",
    [
        *[("pub-a", role, code) for role, code in by_role(403, 403, 200, 403, 200)],
        *[("draft-a", role, code) for role, code in by_role(403, 404, 200, 404, 200)],
    ],
)
def test_import_dictionary(cast, datasets, slug, role, expected):
    response = client_for(cast, role).post(
        f"/api/v1/datasets/{slug}/variables/import/", {"file": upload(DICTIONARY)}, format="multipart"
    )
    assert response.status_code == expected
    names = sorted(Variable.objects.filter(dataset__slug=slug).values_list("name", flat=True))
    if expected == 200:
        assert response.json() == {
            "created": 1,
            "updated": 1,
            "unchanged": 0,
            "removed": 3,
            "error_count": 0,
            "errors": [],
            "warnings": [],
        }
        assert names == ["age", "npm1"]
    else:
        assert names == ["eln2022_risk", "flt3_itd", "karyotype", "npm1"]


@pytest.mark.django_db
def test_import_errors_are_a_400_with_rows_and_nothing_changes(cast, datasets):
    bad = "name,label,value_type\nhb,Haemoglobin,decimal\nhb,Again,decimal\nage,Age,number\n"
    response = client_for(cast, "olga_owner_curator").post(
        "/api/v1/datasets/pub-a/variables/import/", {"file": upload(bad)}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["rows"] == [
        {"row": 3, "column": "name", "message": "Duplicate variable name 'hb' (first used in row 2)."},
        {
            "row": 4,
            "column": "value_type",
            "message": "Unknown value type 'number'; use one of integer, decimal, text, date, boolean, categorical.",
        },
    ]
    assert datasets[0].variables.count() == 4


@pytest.mark.django_db
def test_import_wrong_column_non_utf8_and_missing_file(cast, datasets):
    olga = client_for(cast, "olga_owner_curator")
    url = "/api/v1/datasets/pub-a/variables/import/"
    wrong = olga.post(url, {"file": upload("variable,type\nx,text\n")}, format="multipart").json()
    assert wrong["rows"][0]["message"].startswith("Missing required column(s): name, value_type. Expected columns:")
    assert wrong["warnings"][0]["message"].startswith("Unknown column 'variable'. Expected columns: name, label,")
    latin1 = olga.post(url, {"file": upload("name,value_type\nhämo,text\n".encode("latin-1"))}, format="multipart")
    assert latin1.status_code == 400
    assert latin1.json()["rows"] == [
        {
            "row": 2,
            "column": None,
            "message": "The file is not UTF-8 text. Save it as “CSV UTF-8 (comma delimited)” or as XLSX.",
        }
    ]
    missing = olga.post(url, {}, format="multipart")
    assert missing.status_code == 400
    assert missing.json()["fields"] == {"file": ["No file was submitted."]}
    assert datasets[0].variables.count() == 4


@pytest.mark.django_db
def test_import_of_a_file_over_50_mb_is_refused(cast, datasets, settings):
    settings.HARMONY_MAX_UPLOAD_BYTES = 50 * 1024 * 1024
    big = io.BytesIO()
    big.write(DICTIONARY.encode())
    big.write(b"x" * (50 * 1024 * 1024))
    response = client_for(cast, "olga_owner_curator").post(
        "/api/v1/datasets/pub-a/variables/import/",
        {"file": SimpleUploadedFile("big.csv", big.getvalue(), content_type="text/csv")},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["rows"] == [
        {"row": None, "column": None, "message": "The file is 50.0 MB; the limit is 50 MB."}
    ]
    assert datasets[0].variables.count() == 4
