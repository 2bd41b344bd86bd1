"""A curator retiring a dataset in the browser is asked first, told how many live grants it revokes, can cancel,
and retires only from the confirmation page."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from catalogue.models import DatasetStatus
from tests.browser.conftest import Site, World
from tests.governance.factories import released_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_retiring_a_dataset_asks_first_and_counts_its_grants(site: Site, world: World) -> None:
    gov = SimpleNamespace(base=world.cast, dataset=world.aml, chair=world.dana_chair, member=world.mike_member)
    released_item(gov)
    site.sign_in("olga")
    page = site.open(f"/curate/{world.aml.slug}/")

    page.get_by_role("button", name="Retire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retire “AHA AML Registry”?")
    expect(page.locator(".confirmation")).to_contain_text("It revokes 1 live access grant at once")
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in {"serious", "critical"}] == []
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("AHA AML Registry")
    world.aml.refresh_from_db()
    assert world.aml.status == DatasetStatus.PUBLISHED

    page.get_by_role("button", name="Retire").click()
    page.get_by_role("button", name="Retire the dataset").click()
    expect(page.locator(".messages")).to_contain_text("is retired")
    world.aml.refresh_from_db()
    assert world.aml.status == DatasetStatus.RETIRED
