"""The curators' pages in German: the consent editor, the data dictionary page, its preview and its error report
(the importer's row messages included), and the messages after a change."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.catalogue.factories import ConsentFactory, DatasetFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]


@pytest.fixture
def dataset(cast):
    dataset = DatasetFactory(partner=cast.partner_a, slug="registry", title="AHA-Register")
    ConsentFactory(dataset=dataset, form_version="v2", participant_count=1200)
    return dataset


def german_curator(cast) -> Client:
    client = Client(headers={"accept-language": "de"})
    client.force_login(cast.olga_owner_curator)
    return client


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("dictionary.csv", text.encode(), content_type="text/csv")


def test_the_consent_editor_in_german(cast, dataset):
    html = german_curator(cast).get(reverse("dataset_consents", args=[dataset.slug])).content.decode()
    for text in (
        "<h1>Einwilligungsbedingungen</h1>",
        "Aktuelle Einwilligungsformulare",
        "Formular v2 · 1.200 Teilnehmende",  # German thousands separator
        "Einwilligungsformular hinzufügen",
        "Wofür dürfen die Daten verwendet werden?",
        "Bedingungen dieser Nutzung (Modifikatoren)",
        "Formularversion",
        "GS: Welche Länder (ISO-Codes, z. B. DE, AT)",
        "MOR: bis",
    ):
        assert text in html, text
    for english in ("Current consent forms", "The form", "What may the data be used for?", "Which countries"):
        assert english not in html, english


def test_a_saved_consent_is_confirmed_in_german(cast, dataset):
    client = german_curator(cast)
    response = client.post(
        reverse("dataset_consents", args=[dataset.slug]),
        {"form_version": "v3", "permission": "DUO:0000042"},
        follow=True,
    )
    assert "Das Einwilligungsformular v3 ist gespeichert." in response.content.decode()


def test_the_dictionary_page_in_german(cast, dataset):
    html = german_curator(cast).get(reverse("dataset_dictionary", args=[dataset.slug])).content.decode()
    for text in (
        "<h1>Datenwörterbuch</h1>",
        "Spalten der Datei",
        "CSV-Vorlage herunterladen",
        "Variablenname, eindeutig in der Datei",  # the columns' meanings
        "Bezeichnung in der Sprache &#x27;fr&#x27; (ISO 639-1).",
        "Datei prüfen",
    ):
        assert text in html, text
    assert "Columns of the file" not in html and "Variable name, unique" not in html


def test_the_dictionary_error_report_in_german(cast, dataset):
    client = german_curator(cast)
    url = reverse("dataset_dictionary", args=[dataset.slug])
    file = upload("name,value_type,completeness\nage,integer,\nage,text,\nbmi,number,x\n")
    html = client.post(url, {"file": file}).content.decode()
    assert "Nichts wurde importiert: 3 Fehler in der Datei" in html
    assert "Korrigieren Sie diese Zeilen in Ihrer Tabelle" in html
    assert "Unbekannter Datentyp &#x27;number&#x27;" in html
    assert "&#x27;x&#x27; ist keine Zahl; geben Sie einen Prozentwert zwischen 0 und 100 an." in html
    assert "Doppelter Variablenname &#x27;age&#x27; (zuerst in Zeile 2 verwendet)." in html
    assert "Nothing was imported" not in html and "is not a number" not in html


def test_a_missing_column_is_reported_in_german(cast, dataset):
    html = (
        german_curator(cast)
        .post(reverse("dataset_dictionary", args=[dataset.slug]), {"file": upload("label\nAge\n")})
        .content.decode()
    )
    assert "Fehlende Pflichtspalte(n): name, value_type. Erwartete Spalten:" in html


def test_the_dictionary_preview_in_german(cast, dataset):
    html = (
        german_curator(cast)
        .post(reverse("dataset_dictionary", args=[dataset.slug]), {"file": upload("name,value_type\nage,integer\n")})
        .content.decode()
    )
    assert "Vorschau" in html and "Import anwenden" in html
    assert "Preview: nothing is written" not in html


def test_a_contradiction_in_the_duo_picker_is_explained_in_german(cast, dataset):
    html = (
        german_curator(cast)
        .post(
            reverse("dataset_consents", args=[dataset.slug]),
            {"form_version": "v4", "permission": "DUO:0000011", "modifier_NPOA": "on"},
        )
        .content.decode()
    )
    assert "POA (nur Forschung zu Bevölkerungsherkunft oder Abstammung) widerspricht NPOA" in html
    assert "contradicts" not in html
