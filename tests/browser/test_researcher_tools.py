"""A researcher cites a dataset, downloads its data dictionary and compares two datasets for their intended use
and key variables, in Chromium; axe finds no serious or critical violation on these pages."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def blocking_violations(page: Page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['help']}" for v in violations if v["impact"] in {"serious", "critical"}]


def test_cite_download_and_compare(site: Site, world: World) -> None:
    world.aml.persistent_identifier = "10.5281/zenodo.1234567"
    world.aml.save()
    page = site.open(f"/datasets/{world.aml.slug}/")

    cite = page.get_by_role("region", name="Cite this dataset")
    expect(cite).to_contain_text("AHA AML Registry. Version")
    expect(cite).to_contain_text("https://doi.org/10.5281/zenodo.1234567")
    cite.get_by_text("BibTeX").click()
    expect(cite.locator("pre.bibtex")).to_contain_text("doi = {10.5281/zenodo.1234567}")

    with page.expect_download() as download:
        page.get_by_role("link", name="Dictionary as CSV").click()
    assert download.value.suggested_filename == "aha-aml-data-dictionary.csv"
    lines = download.value.path().read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("name,label,description,value_type")
    assert len(lines) == 64  # the header and 63 variables
    assert blocking_violations(page) == []

    # Compare the registry with the myeloma cohort for a disease-specific AML study and three key variables.
    page.get_by_role("link", name="Compare with other datasets").click()
    expect(page.get_by_label("Dataset 1")).to_have_value("aha-aml")
    page.get_by_label("Dataset 2").select_option("aha-mm")
    page.get_by_label("Key variables").fill("flt3_itd\nISS stage")
    page.get_by_label("Purpose", exact=True).select_option("HMB")
    page.get_by_role("button", name="Compare", exact=True).click()
    table = page.locator("table.compare-table")
    expect(table.get_by_role("columnheader")).to_have_text(["AHA AML Registry", "AHA Myeloma Cohort"])
    expect(table.get_by_role("row", name="Patients")).to_contain_text("2,150")
    expect(table.get_by_role("row", name="Admits my use (HMB)")).to_contain_text("Consent admits this use")
    expect(table.get_by_role("row", name="Key variable flt3_itd")).to_contain_text("not held")
    expect(table.get_by_role("row", name="Key variable ISS stage")).to_contain_text("iss_stage")
    assert blocking_violations(page) == []
