"""The search page's facets apply at once (htmx), keep a shareable address with a working Back button, still work
without script, and fold into a panel before the results on a 390 px phone, whose header has a menu button."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import Site, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_ticking_a_facet_applies_it_at_once_and_back_undoes_it(site: Site, world: World) -> None:
    page = site.open("/search/?q=&kind=datasets")
    results = page.locator("#search-results")
    expect(results).to_contain_text("AHA Myeloma Cohort")
    page.evaluate("window.samePage = true")  # lost on a full page load

    page.get_by_role("checkbox", name=re.compile("Acute myeloid leuk")).check()
    expect(page).to_have_url(re.compile(r"disease=AML"))
    expect(results).to_contain_text("1 dataset")
    expect(results).not_to_contain_text("AHA Myeloma Cohort")
    assert page.evaluate("window.samePage") is True
    expect(page.get_by_role("checkbox", name=re.compile("Acute myeloid leuk"))).to_be_checked()

    # The address is shareable: opened afresh it shows the same filtered results.
    shared = page.url
    site.open(shared.removeprefix(site.base_url))
    expect(page.locator("#search-results")).not_to_contain_text("AHA Myeloma Cohort")
    expect(page.get_by_role("checkbox", name=re.compile("Acute myeloid leuk"))).to_be_checked()

    # Back from a facet change returns to the unfiltered results.
    site.open("/search/?q=&kind=datasets")
    page.get_by_role("checkbox", name=re.compile("Acute myeloid leuk")).check()
    expect(page).to_have_url(re.compile(r"disease=AML"))
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"disease=AML"))
    expect(page.locator("#search-results")).to_contain_text("AHA Myeloma Cohort")
    expect(page.get_by_role("checkbox", name=re.compile("Acute myeloid leuk"))).not_to_be_checked()


def test_facets_work_without_script(live_server: Any, browser: Browser, world: World) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/search/?q=&kind=datasets")
    page.get_by_role("checkbox", name=re.compile("Acute myeloid leuk")).check()
    expect(page.locator("#search-results")).to_contain_text("AHA Myeloma Cohort")  # nothing happens by itself
    page.locator("#facets").get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"disease=AML"))
    expect(page.locator("#search-results")).not_to_contain_text("AHA Myeloma Cohort")
    # The header navigation is open: there is no script to unfold it.
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Search")).to_be_visible()
    context.close()


def test_skip_to_results_follows_the_search_box(site: Site, world: World) -> None:
    page = site.open("/search/?q=myeloid")
    page.get_by_label("Search for").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Search", exact=True)).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to results")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#search-results")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="AHA AML Registry")).to_be_focused()


def test_phone_menu_button_and_folded_facets_before_the_results(site: Site, world: World) -> None:
    page = site.page
    page.set_viewport_size(PHONE)
    site.open("/search/?q=&kind=datasets")

    navigation = page.get_by_role("navigation", name="Main")
    menu = navigation.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(navigation.get_by_role("link", name="Partners")).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(navigation.get_by_role("link", name="Partners")).to_be_visible()

    # The facet panel is folded and sits above the results.
    panel = page.locator("#facets")
    checkbox = page.get_by_role("checkbox", name=re.compile("Acute myeloid leuk"))
    expect(checkbox).to_be_hidden()
    panel_box = panel.bounding_box()
    results_box = page.locator("#search-results").bounding_box()
    assert panel_box is not None and results_box is not None
    assert panel_box["y"] + panel_box["height"] <= results_box["y"]
    page.get_by_text("Narrow the results").click()
    checkbox.check()
    expect(page.locator("#search-results")).not_to_contain_text("AHA Myeloma Cohort")
    expect(checkbox).to_be_visible()  # the panel stays open while the reader narrows further

    # On a desktop the menu button is not shown.
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(menu).to_be_hidden()
    expect(navigation.get_by_role("link", name="Partners")).to_be_visible()
