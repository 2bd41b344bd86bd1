"""The DUO picker: every term shows its DUO definition and an example; contradictory terms are refused with the
reason (nothing saved); a DS consent names several MONDO diseases."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from catalogue.models import Consent
from tests.browser.conftest import Site, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_curator_picks_duo_terms_with_definitions_and_contradictions_refused(site: Site, world: World) -> None:
    site.sign_in("olga")
    page = site.open(f"/curate/{world.myeloma.slug}/consents/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Consent conditions")

    # Each term explains itself: DUO's definition and an example.
    poa_help = page.locator("#duo-help-POA")
    expect(poa_help).to_contain_text(
        "DUO definition: This data use permission indicates that use of the data is limited to the study of "
        "population origins or ancestry."
    )
    expect(poa_help).to_contain_text("Example: A cohort collected to study the migration history")
    expect(page.locator("#duo-help-NPOA")).to_contain_text("Example: Any research except population origins")

    # POA with NPOA admits nothing: refused with the reason, nothing saved.
    before = Consent.objects.filter(dataset=world.myeloma).count()
    page.get_by_label("Form version").fill("v9 (2026)")
    page.get_by_label("POA — population origins or ancestry research only").check()
    page.get_by_label("NPOA — population origins or ancestry research prohibited").check()
    page.get_by_role("button", name="Add consent form").click()
    expect(page.locator("#modifiers-errors")).to_contain_text(
        "POA (population origins or ancestry research only) contradicts NPOA (population origins or ancestry "
        "research prohibited): the consent would admit no use."
    )
    assert Consent.objects.filter(dataset=world.myeloma).count() == before

    # A coherent consent: DS on two MONDO diseases.
    page.get_by_label("DS — disease specific research").check()
    page.get_by_label("NPOA — population origins or ancestry research prohibited").uncheck()
    page.get_by_label("Diseases").select_option(["MONDO:0009693", "MONDO:0018874"])
    page.get_by_role("button", name="Add consent form").click()
    expect(page.locator(".card-list")).to_contain_text("Research on acute myeloid leukemia or multiple myeloma only")
    consent = Consent.objects.get(dataset=world.myeloma, form_version="v9 (2026)")
    assert sorted(consent.diseases.values_list("pk", flat=True)) == ["MONDO:0009693", "MONDO:0018874"]
