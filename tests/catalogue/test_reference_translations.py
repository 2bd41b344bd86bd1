"""Reference data in the interface languages: DUO terms (label, definition, example), the MONDO diseases, disease
areas, data types and unit names show in the reader's language; the translations are shipped, sourced data
(catalogue/data/translations/, loaded by the migration and by load_reference_data) and cover every shipped row."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from catalogue.models import DataType, DiseaseArea, DuoTerm, MondoTerm
from catalogue.reference_data import DATA_DIR, TRANSLATED_LANGUAGES
from catalogue.selectors import consent_conditions_by_dataset
from catalogue.units import readable_unit
from tests.catalogue.factories import ConsentFactory, DatasetFactory

TRANSLATIONS = DATA_DIR / "translations"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def header(path: Path) -> str:
    return "".join(line for line in path.read_text(encoding="utf-8").splitlines(keepends=True) if line.startswith("#"))


def test_every_shipped_term_has_every_language_and_each_file_names_its_source() -> None:
    duo = {(row["key"], row["field"]): row for row in rows(TRANSLATIONS / "duo_terms.csv")}
    for term in rows(DATA_DIR / "duo_terms.csv"):
        for field in ("label", "definition", "example"):
            if term[field]:
                assert all(duo[(term["id"], field)][code] for code in TRANSLATED_LANGUAGES), (term["id"], field)
    diseases = {row["key"]: row for row in rows(TRANSLATIONS / "diseases.csv")}
    shipped = [row["id"] for row in rows(DATA_DIR / "mondo_hematology.csv")]
    shipped += [row["code"] for row in rows(DATA_DIR / "disease_areas.csv")]
    assert all(all(diseases[key][code] for code in TRANSLATED_LANGUAGES) for key in shipped)
    types = {row["key"]: row for row in rows(TRANSLATIONS / "data_types.csv")}
    assert all(
        all(types[row["code"]][code] for code in TRANSLATED_LANGUAGES) for row in rows(DATA_DIR / "data_types.csv")
    )
    for name in ("duo_terms.csv", "diseases.csv", "data_types.csv"):
        assert "# source: " in header(TRANSLATIONS / name), name


@pytest.mark.django_db
def test_the_migration_fills_the_labels_and_they_show_in_the_active_language() -> None:
    ds = DuoTerm.objects.get(short_code="DS")
    aml = MondoTerm.objects.get(pk="MONDO:0018874")
    area = DiseaseArea.objects.get(code="WM")
    wgs = DataType.objects.get(code="wgs")
    with translation.override("de"):
        assert ds.display_label == "krankheitsspezifische Forschung"
        assert ds.display_definition.startswith("Diese Datennutzungserlaubnis gibt an, dass die Nutzung erlaubt ist")
        assert aml.display_name == "akute myeloische Leukämie"
        assert area.display_name == "Morbus Waldenström"
        assert wgs.display_name == "Genomsequenzierung (WGS)"
    with translation.override("fr"):
        assert aml.display_name == "leucémie aiguë myéloïde"
    with translation.override("en"):
        assert ds.display_label == "disease specific research"
        assert aml.display_name == "acute myeloid leukemia"


def test_unit_words_follow_the_language_and_symbols_stay() -> None:
    with translation.override("de"):
        assert readable_unit("a") == "Jahre"
        assert readable_unit("{cells}/uL") == "Zellen/µL"
        assert readable_unit("10*9/L") == "\N{MULTIPLICATION SIGN}10⁹/L"
    with translation.override("en"):
        assert readable_unit("a") == "years"


@pytest.mark.django_db
def test_matcher_reasons_name_the_consents_disease_in_the_readers_language() -> None:
    dataset = DatasetFactory()
    ConsentFactory(dataset=dataset, permission=DuoTerm.objects.get(short_code="DS"), diseases=["MONDO:0009693"])
    with translation.override("it"):
        [condition] = consent_conditions_by_dataset([dataset.pk])[dataset.pk]
    assert condition.disease_name == "mieloma multiplo"
    assert condition.label.startswith("consenso ")


@pytest.mark.django_db
def test_pages_show_reference_labels_in_german(cast) -> None:
    dataset = DatasetFactory(partner=cast.partner_a, diseases=["AML"])
    dataset.data_types.set([DataType.objects.get(code="wgs")])
    consent = ConsentFactory(dataset=dataset, permission=DuoTerm.objects.get(short_code="HMB"))
    consent.modifiers.create(term=DuoTerm.objects.get(short_code="PUB"))
    client = Client()
    detail = client.get(f"/datasets/{dataset.slug}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Akute myeloische Leukämie" in detail
    assert "Genomsequenzierung (WGS)" in detail
    assert "gesundheitliche, medizinische oder biomedizinische Forschung" in detail
    assert "Veröffentlichung erforderlich" in detail
    search = client.get("/search/", {"q": ""}, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert (
        "Diese Datennutzungserlaubnis gibt an, dass die Nutzung erlaubt ist, sofern sie die angegebene Krankheit"
        in search
    )
    assert '<option value="AML">Akute myeloische Leukämie</option>' in search
