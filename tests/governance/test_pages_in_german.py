"""The committee's, the holder's and the administrators' pages in German, as the person each page is for: the
headings, labels and buttons are German, and the dates are written the German way."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation

from governance.models import AccessGrant
from tests.governance.factories import released_item, signed_item, submitted_item

pytestmark = pytest.mark.django_db


def german_page(user, url: str) -> str:
    client = Client(headers={"accept-language": "de"})
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    return html


def german_date(day) -> str:
    with translation.override("de"):
        return formats.date_format(day, "DATE_FORMAT")


def test_the_review_page_in_german(gov):
    item = submitted_item(gov)
    html = german_page(gov.chair, reverse("governance:item_review", args=[item.pk]))
    for text in (
        "Bericht zum Einwilligungsabgleich",
        "Grundlage dieser Prüfung",
        "Geprüfte Visa der antragstellenden Person",
        "Entscheidungsregel",
        "Noch keine Entscheidung.",
        "Noch keine Stimmen.",
        "Beantragte Variablen:",
        "Meine Entscheidung erfassen",
        "Abgeglichene Einwilligungen",
        "Wird veröffentlicht",  # the frozen fields' labels …
        "<dd>Ja</dd>",  # … and a yes/no value
        "eingereicht wurde; spätere Änderungen",
        "0 Zustimmungen, 0 Ablehnungen, 0 Änderungsverlangen von 2 stimmberechtigten Mitgliedern in Runde 1.",
    ):
        assert text in html, text
    basis_day = german_date(item.basis.created_at)
    assert f"für Runde 1 am {basis_day} eingereicht" in html
    assert re.search(r"\d+\. \w+ \d{4}", basis_day)  # "2. Dezember 2026"
    for english in ("Consent-match report", "Basis of this review", "Decision rule", "No votes yet.", "Will publish"):
        assert english not in html, english


def test_the_recused_members_notice_in_german(gov):
    item = submitted_item(gov)
    html = german_page(gov.recused_member, reverse("governance:item_review", args=[item.pk]))
    assert "Sie sind bei diesem Antrag befangen" in html
    assert "Sie können ihn lesen, aber nicht abstimmen" in html


def test_the_release_page_in_german(gov):
    item = released_item(gov)
    html = german_page(gov.base.olga_owner_curator, reverse("governance:release_page", args=[item.pk]))
    grant = AccessGrant.objects.get(item=item)
    assert f"Genehmigt von {item.dac.name}" in html
    assert german_date(grant.valid_until) in html
    assert "Approved by" not in html and "Released on" not in html


def test_the_request_page_names_the_agreements_sides_in_german(gov):
    item = signed_item(gov)
    html = german_page(gov.base.rita_researcher, reverse("governance:request_detail", args=[item.request_id]))
    assert "Datenweitergabeverträge" in html
    assert "Mit <strong>Academic Hospital A</strong>:" in html
    assert "Seite der Antragstellenden unterzeichnet am" in html and "Seite des Datenhalters unterzeichnet am" in html
    assert "requester side signed" not in html and "holder side signed" not in html


def test_the_dashboard_in_german(gov):
    submitted_item(gov)
    html = german_page(gov.chair, reverse("governance:dashboard"))
    for text in ("Governance-Übersicht", "Anträge nach Status", "Je Ausschuss", "Bis zur Entscheidung", "In Prüfung"):
        assert text in html, text
    assert "Governance dashboard" not in html and "Per committee" not in html
    # A state is named once, in words: the chart shows no raw state key after the count.
    assert "(under_review)" not in html


def test_the_statistics_page_in_german(gov):
    submitted_item(gov)
    html = german_page(gov.base.ada_admin, reverse("governance:statistics"))
    for text in ("Statistik", '<label for="id_disease">Krankheit</label>', "Land des Datenhalters", "Monat", "Gesamt"):
        assert text in html, text
    assert ">Disease<" not in html and "Country of the holder" not in html and ">Total<" not in html


def test_the_statistics_refusal_in_german(gov):
    client = Client(headers={"accept-language": "de"})
    client.force_login(gov.chair)
    response = client.get(reverse("governance:statistics"))
    assert response.status_code == 403
    assert "Die Statistikseiten sind den Administratoren der Allianz vorbehalten." in response.content.decode()
