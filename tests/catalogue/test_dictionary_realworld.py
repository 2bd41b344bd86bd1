"""A public-style AML trial data dictionary, as a new user exports it: NCIt/MedDRA/ATC/ICD-O-3/HPO codes,
extra columns of the source system and categories written ``1=stage I|2=stage II``."""

import io

import pytest
from django.core.management import call_command

from audit.models import AuditEvent
from catalogue.importers.dictionary import import_data_dictionary, validate_data_dictionary
from catalogue.models import Concept, Variable, Vocabulary
from tests.catalogue.factories import DatasetFactory

# Modelled on the dictionaries public AML trials publish (REDCap-style "Choices" and a "Form" column).
AML_DICTIONARY = (
    "Variable / Field Name,Form Name,Field Type,name,label,value_type,unit,categories,concepts,Required Field?\n"
    'dx,baseline,dropdown,diagnosis,Diagnosis,categorical,,"1=AML with NPM1 mutation|2=AML with MDS-related '
    'changes|3=Therapy-related AML",NCIT:C3171=Acute Myeloid Leukemia; ICDO3M:9861/3,y\n'
    'stage,baseline,dropdown,ann_arbor,Ann Arbor stage,categorical,,"1=stage I|2=stage II|3=stage III|4=stage IV",'
    "NCIT:C3328,\n"
    'ecog,baseline,radio,ecog,ECOG performance status,categorical,,"0: fully active\n1: restricted\n2: ambulatory",'
    "HPO:0012758,y\n"
    "ara_c,treatment,text,cytarabine_dose,Cytarabine dose,decimal,mg/m2,,ATC:L01BC01=cytarabine,\n"
    "fn,safety,yesno,febrile_neutropenia,Febrile neutropenia,boolean,,,MedDRA:10016288,\n"
    "site,baseline,text,biopsy_site,Biopsy site,text,,,ICD-O-3-T:C42.1=Bone marrow,\n"
    "wbc,baseline,text,wbc,White blood cells,decimal,10*9/L,,LOINC:6690-2; OMOP:3000905,y\n"
)


def upload(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode())


@pytest.fixture
def dataset(cast):
    return DatasetFactory(partner=cast.partner_a)


@pytest.mark.django_db
def test_public_style_aml_dictionary_imports_with_warnings_for_its_extra_columns(cast, dataset):
    result = import_data_dictionary(actor=cast.olga_owner_curator, dataset=dataset, file=upload(AML_DICTIONARY))
    assert result.ok, result.errors
    assert result.created == 7
    assert [(w.row, w.column) for w in result.warnings] == [
        (1, "variable_/_field_name"),
        (1, "form_name"),
        (1, "field_type"),
        (1, "required_field?"),
    ]
    assert all("Its values were ignored." in w.message for w in result.warnings)
    assert Variable.objects.get(name="ann_arbor").categories == {
        "1": "stage I",
        "2": "stage II",
        "3": "stage III",
        "4": "stage IV",
    }
    assert Variable.objects.get(name="ecog").categories == {"0": "fully active", "1": "restricted", "2": "ambulatory"}
    assert sorted(Concept.objects.values_list("vocabulary_id", "code")) == [
        ("ATC", "L01BC01"),
        ("HPO", "0012758"),
        ("ICDO3M", "9861/3"),
        ("ICDO3T", "C42.1"),
        ("LOINC", "6690-2"),
        ("MEDDRA", "10016288"),
        ("NCIT", "C3171"),
        ("NCIT", "C3328"),
        ("OMOP", "3000905"),
    ]


@pytest.mark.django_db
def test_strict_import_refuses_the_extra_columns_and_writes_nothing(cast, dataset):
    result = import_data_dictionary(
        actor=cast.olga_owner_curator, dataset=dataset, file=upload(AML_DICTIONARY), strict=True
    )
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [
        (1, "variable_/_field_name"),
        (1, "form_name"),
        (1, "field_type"),
        (1, "required_field?"),
    ]
    assert not Variable.objects.exists()


@pytest.mark.django_db
def test_codes_that_do_not_match_their_vocabulary_are_row_errors_naming_the_expected_form():
    text = (
        "name,value_type,concepts\n"
        "dx,text,NCIT:3171\n"
        "morph,text,ICDO3M:98613\n"
        "ae,text,MEDDRA:1001628\n"
        "drug,text,ATC:cytarabine\n"
    )
    result = validate_data_dictionary(upload(text))
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "concepts", "'3171' is not a code of NCI Thesaurus: expected the form C[0-9]{1,7} (e.g. NCIT:C3171)."),
        (
            3,
            "concepts",
            "'98613' is not a code of ICD-O-3 morphology: expected the form [0-9]{4}/[0-39] (e.g. ICDO3M:9861/3).",
        ),
        (4, "concepts", "'1001628' is not a code of MedDRA: expected the form [0-9]{8} (e.g. MEDDRA:10000880)."),
        (
            5,
            "concepts",
            "'cytarabine' is not a code of WHO ATC classification: expected the form "
            "[A-Z]([0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?)? (e.g. ATC:L01BC01).",
        ),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cell",
    [
        "1=stage I, 2=stage II",  # a comma is not a separator: the second category would hide in the first's label
        "1=stage I 2=stage II",
        "stage I; stage II",
    ],
)
def test_categories_no_separator_splits_into_pairs_are_refused_not_garbled(cell):
    result = validate_data_dictionary(upload(f'name,value_type,categories\nstage,categorical,"{cell}"\n'))
    assert [(e.row, e.column) for e in result.errors] == [(2, "categories")]
    assert "cannot be read as categories" in result.errors[0].message


@pytest.mark.django_db
def test_a_vocabulary_added_by_an_administrator_is_accepted_and_survives_reloading(cast, dataset):
    Vocabulary.objects.create(id="ORPHA", name="Orphanet", code_pattern="[0-9]{1,7}", example="98834")
    call_command("load_reference_data", stdout=io.StringIO())
    result = import_data_dictionary(
        actor=cast.olga_owner_curator,
        dataset=dataset,
        file=upload("name,value_type,concepts\nrare,text,orpha:98834\n"),
    )
    assert result.ok, result.errors
    assert Concept.objects.get().vocabulary_id == "ORPHA"
    assert Vocabulary.objects.filter(id__in=["NCIT", "MEDDRA", "ATC", "ICDO3M", "ICDO3T", "HPO"]).count() == 6


@pytest.mark.django_db
def test_api_import_reports_warnings_and_honours_strict(cast, dataset, client):
    client.force_login(cast.olga_owner_curator)
    url = f"/api/v1/datasets/{dataset.slug}/variables/import/"
    text = "name,value_type,source_form\nhb,decimal,labs\n"
    response = client.post(url, {"file": _named(text)})
    assert response.status_code == 200, response.json()
    assert [w["column"] for w in response.json()["warnings"]] == ["source_form"]
    response = client.post(url, {"file": _named(text), "strict": "true"})
    assert response.status_code == 400
    assert [row["column"] for row in response.json()["rows"]] == ["source_form"]


def _named(text: str) -> io.BytesIO:
    file = upload(text)
    file.name = "dictionary.csv"
    return file


@pytest.mark.django_db
def test_an_administrator_adds_a_vocabulary_in_the_admin_on_the_audit_trail(cast, client):
    client.force_login(cast.ada_admin)
    response = client.post(
        "/admin/catalogue/vocabulary/add/",
        {"id": "ORPHA", "name": "Orphanet", "iri": "", "code_pattern": "[0-9]{1,7}", "example": "98834", "aliases": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Vocabulary.objects.get(id="ORPHA").code_pattern == "[0-9]{1,7}"
    event = AuditEvent.objects.get(action="vocabulary.create")
    assert (event.object_id, event.after["code_pattern"]) == ("ORPHA", "[0-9]{1,7}")
    response = client.post(
        "/admin/catalogue/vocabulary/add/",
        {"id": "BAD", "name": "Bad", "code_pattern": "[0-9", "example": "1", "aliases": ""},
    )
    assert response.status_code == 200
    assert not Vocabulary.objects.filter(id="BAD").exists()
