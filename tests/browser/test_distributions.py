"""A curator adds a file with an upload progress bar, sees a refused upload's reason next to the field, adds and
edits an access URL, and removes a distribution after confirming."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from catalogue.models import Distribution
from tests.browser.conftest import Site, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("private_storage")]


def test_curator_manages_distributions(site: Site, world: World, settings, tmp_path) -> None:
    extract = tmp_path / "aml-extract.csv"
    extract.write_bytes(b"id,npm1\n" + b"1,mutated\n" * 30_000)
    site.sign_in("olga")
    page = site.open(f"/curate/{world.aml.slug}/")
    page.get_by_role("link", name="Add or edit distributions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Distributions")

    # Too large: the upload runs (its progress shown), then the reason appears next to the file field.
    settings.HARMONY_MAX_UPLOAD_BYTES = 100_000
    upload = page.locator("#upload-form")
    upload.get_by_label("Title").fill("AML extract")
    upload.get_by_label("File").set_input_files(str(extract))
    page.get_by_role("button", name="Upload the file").click()
    expect(page.locator("#upload-progress progress")).to_have_attribute("value", "100")
    expect(page.locator("#upload-progress")).to_contain_text("Uploaded: 100%")
    expect(page.locator("#upload-form .errorlist")).to_contain_text("the limit is 0 MB")
    assert not Distribution.objects.exists()

    # Within the limit: the page moves to the updated list.
    settings.HARMONY_MAX_UPLOAD_BYTES = 10_000_000
    upload.get_by_label("Title").fill("AML extract")
    upload.get_by_label("File").set_input_files(str(extract))
    page.get_by_role("button", name="Upload the file").click()
    expect(page.locator(".messages")).to_contain_text("“AML extract” is added.")
    expect(page.locator(".distribution")).to_contain_text("SHA-256")

    # An access URL, then an edit of it.
    add_url = page.get_by_role("region", name="Add an access URL")
    add_url.get_by_label("Title").fill("EGA")
    add_url.get_by_label("Access URL").fill("https://ega-archive.org/datasets/EGAD1")
    page.get_by_role("button", name="Add the URL").click()
    expect(page.locator(".messages")).to_contain_text("“EGA” is added.")
    page.get_by_role("link", name="Edit EGA").click()
    page.get_by_label("Title").fill("European Genome-phenome Archive")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Your changes to “European Genome-phenome Archive” are saved.")

    # Removing asks first.
    page.get_by_role("link", name="Remove AML extract").click()
    expect(page.locator(".confirmation")).to_contain_text("The file is deleted from the registry's storage")
    page.get_by_role("button", name="Remove the distribution").click()
    expect(page.locator(".messages")).to_contain_text("“AML extract” is removed.")
    assert list(Distribution.objects.values_list("title", flat=True)) == ["European Genome-phenome Archive"]
