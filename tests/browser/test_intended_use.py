"""The "My intended use" controls: stated once on the search page, the use applies at once (htmx, the address
follows) and each dataset says whether its consents admit it; the facet keeps only admitted datasets; compare
remembers the use; a refused combination shows the field's message next to the control."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from catalogue.models import DuoTerm
from catalogue.search.sync import rebuild_index
from tests.browser.conftest import Site, World
from tests.browser.test_researcher_tools import blocking_violations
from tests.catalogue.factories import ConsentFactory, DatasetFactory, DataUseModifierFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def consents(world: World) -> World:
    """Beside the world's two HMB datasets: a myeloma-only (DS) registry and a cohort limited to Spain (GS)."""
    ds_myeloma = DatasetFactory(partner=world.cast.partner_b, title="Myeloma-only registry", slug="mm-only")
    ConsentFactory(dataset=ds_myeloma, permission=DuoTerm.objects.get(short_code="DS"), diseases=["MONDO:0009693"])
    spain = DatasetFactory(partner=world.cast.partner_b, title="Cohort used in Spain only", slug="spain-only")
    consent = ConsentFactory(dataset=spain, permission=DuoTerm.objects.get(short_code="HMB"))
    DataUseModifierFactory(consent=consent, term=DuoTerm.objects.get(short_code="GS"), value="ES")
    rebuild_index()
    return world


def verdict_of(site: Site, title: str):
    return site.page.locator("#search-results li.result", has_text=title).locator(".use-verdict")


def test_stating_an_intended_use_on_search_shows_each_verdict_and_compare_remembers_it(
    site: Site, consents: World
) -> None:
    page = site.open("/search/?q=&kind=datasets")
    page.evaluate("window.samePage = true")  # lost on a full page load
    page.locator("summary", has_text="My intended use").click()  # unfold the control group
    group = page.get_by_role("group", name="My intended use")

    # DS without a disease is refused: the field's message appears next to the disease, without a reload.
    group.get_by_label("Purpose", exact=True).select_option("DS")
    expect(page.locator("#use-disease-error")).to_have_text(
        "Disease-specific research (DS) needs the disease it is about."
    )
    group.get_by_label("Disease (for DS)").select_option("AML")
    expect(page).to_have_url(re.compile(r"use_purpose=DS.*use_disease=AML"))
    expect(page.locator("#use-disease-error")).to_be_hidden()
    expect(verdict_of(site, "AHA AML Registry")).to_contain_text("Consent admits this use")
    expect(verdict_of(site, "Cohort used in Spain only")).to_contain_text("Needs committee review")
    expect(verdict_of(site, "Cohort used in Spain only")).to_contain_text("where the data will be used is not stated")
    expect(verdict_of(site, "Myeloma-only registry")).to_contain_text("Consent does not admit this use")
    expect(verdict_of(site, "Myeloma-only registry")).to_contain_text(
        "research on acute myeloid leukemia is not covered"
    )
    assert page.evaluate("window.samePage") is True

    # The facet keeps only the admitted datasets, at once too.
    page.get_by_role("checkbox", name="Only datasets whose consents admit this use").check()
    expect(page).to_have_url(re.compile(r"use_verdict=admitted"))
    expect(page.locator("#search-results")).not_to_contain_text("Myeloma-only registry")
    expect(page.locator("#search-results")).not_to_contain_text("Cohort used in Spain only")
    expect(page.locator("#search-results")).to_contain_text("AHA AML Registry")
    assert page.evaluate("window.samePage") is True
    assert blocking_violations(page) == []

    # Compare remembers the use stated on search.
    page = site.open("/datasets/compare/?datasets=aha-aml&datasets=mm-only")
    expect(page.get_by_role("group", name="My intended use").get_by_label("Purpose", exact=True)).to_have_value("DS")
    table = page.locator("table.compare-table")
    row = table.get_by_role("row", name="Admits my use (DS)")
    expect(row).to_contain_text("Consent admits this use")
    expect(row).to_contain_text("Consent does not admit this use")
    assert blocking_violations(page) == []


def test_stating_a_use_on_compare_in_german(site: Site, consents: World) -> None:
    site.open("/")
    site.choose_language("de")
    page = site.open("/datasets/compare/?datasets=aha-aml&datasets=spain-only")
    group = page.get_by_role("group", name="Meine beabsichtigte Nutzung")
    group.get_by_label("Zweck", exact=True).select_option("HMB")
    group.get_by_label("Länder, in denen die Daten genutzt werden").fill("DE, FR")
    page.get_by_role("button", name="Vergleichen", exact=True).click()
    row = page.locator("table.compare-table").get_by_role("row", name=re.compile("HMB"))
    expect(row).to_contain_text("Die Einwilligung erlaubt diese Nutzung")
    expect(row).to_contain_text(
        "Die Einwilligung beschränkt die Nutzung auf ES (GS); die Daten würden in DE, FR genutzt."
    )
    assert blocking_violations(page) == []
