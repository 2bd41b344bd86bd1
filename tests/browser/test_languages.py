"""The interface in the alliance's languages, in Chromium: a researcher's journey in German (search → dataset →
request draft) with German interface text and the catalogue's German content where it exists, and the language
choice remembered by the browser and, for a signed-in user, across browsers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from catalogue.models import Variable
from tests.browser.conftest import PASSWORD, Site, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_researcher_journey_in_german(site: Site, world: World) -> None:
    world.aml.title_translations = {"de": "AHA AML-Register"}
    world.aml.description_translations = {"de": "Erwachsene mit neu diagnostizierter akuter myeloischer Leukämie."}
    world.aml.save(update_fields=["title_translations", "description_translations"])
    Variable.objects.filter(dataset=world.aml, name="flt3_itd").update(label_translations={"de": "FLT3-ITD-Status"})

    page = site.open("/")
    site.choose_language("de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wer hat hämatologische Daten, die Sie nutzen können?")
    expect(page.locator(".stats")).to_contain_text("2.980")  # German thousands separator
    expect(page.get_by_role("link", name="Zum Hauptinhalt springen")).to_be_attached()

    # Search, in German words around the catalogue's content.
    page.get_by_label("Datensätze und Variablen durchsuchen").fill("FLT3")
    page.get_by_role("button", name="Suchen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Den Katalog durchsuchen")
    results = page.locator("#search-results")
    expect(results.get_by_role("heading", level=2)).to_have_text(re.compile(r"^\d+ Datens(atz|ätze)$"))
    expect(results).to_contain_text("Passende Variablen:")
    results.get_by_role("link", name="AHA AML Registry").click()

    # The dataset page: German interface, the German title and description, German variable labels.
    expect(page.get_by_role("heading", level=1)).to_contain_text("AHA AML-Register")
    expect(page.locator(".page-head .translations")).to_contain_text("EN AHA AML Registry")
    expect(page.get_by_role("heading", name="Über diesen Datensatz")).to_be_visible()
    expect(page.locator("#about")).to_have_text("Über diesen Datensatz")
    expect(page.get_by_text("Erwachsene mit neu diagnostizierter akuter myeloischer Leukämie.")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("2.150")
    variables = page.locator("#variables")
    expect(variables).to_contain_text("63 Variablen")
    page.get_by_label("Variablen durchsuchen").fill("FLT3")
    expect(variables).to_contain_text("1 Variable passend zu „FLT3“")
    expect(variables.locator("tbody tr").first).to_contain_text("FLT3-ITD-Status")

    # Request access: sign in (German form), fill the German request form, save the draft.
    page.get_by_role("link", name="Zugang beantragen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
    page.get_by_label("Benutzername").fill("rita")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zugang beantragen")
    expect(page.get_by_text("Angemeldet als")).to_be_visible()
    expect(page.get_by_label("AHA AML Registry — AHA")).to_be_checked()
    page.get_by_label("Titel").fill("Verläufe älterer AML-Patienten")
    page.get_by_label("Allgemeinverständliche Zusammenfassung").fill("Wie es älteren Patienten danach geht.")
    page.get_by_label("Wissenschaftliche Ziele").fill("Gesamtüberleben nach ELN-2022-Risiko.")
    page.get_by_label("Gesundheitliche, medizinische oder biomedizinische Forschung").check()
    page.get_by_label("Gewünschter Beginn").fill("2027-01-01")
    page.get_by_label("Gewünschtes Ende").fill("2028-12-31")
    page.get_by_label("Aktenzeichen des Ethikvotums").fill("EK-2026-114")
    page.get_by_label("Ethikvotum gültig bis").fill("2029-06-30")
    page.get_by_role("button", name="Entwurf speichern").click()

    # The draft: German words, the German dataset title, the consent match in German.
    expect(page.locator(".messages")).to_contain_text("Ihr Antrag ist als Entwurf gespeichert")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verläufe älterer AML-Patienten")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Entwurf")
    expect(page.locator(".lede")).to_contain_text("für University B")
    expect(page.get_by_role("heading", name="Vor dem Einreichen")).to_be_visible()
    item = page.locator("article.item")
    expect(item.get_by_role("link", name="AHA AML-Register")).to_be_visible()
    expect(item.locator(".notice.ok")).to_contain_text("Vereinbar:")
    expect(page.get_by_role("link", name="An die Ausschüsse einreichen …")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "de")


def test_the_language_choice_is_remembered(site: Site, world: World) -> None:
    page = site.open("/datasets/")
    site.choose_language("fr")
    expect(page).to_have_url(re.compile(r"/datasets/$"))  # back on the page the switch was used on
    expect(page.get_by_role("heading", level=1)).to_have_text("Jeux de données")
    site.open("/partners/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Partenaires")
    expect(page.locator("#language-switch")).to_have_value("fr")

    # Signed in, the choice is stored: a browser without the cookie gets it back at sign-in.
    site.sign_in("rita")
    site.choose_language("it")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chi detiene dati di ematologia che puoi usare?")
    site.sign_out()
    page.context.clear_cookies()
    site.open("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    site.sign_in("rita")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    expect(page.locator(".account .who")).to_contain_text("Accesso come")
