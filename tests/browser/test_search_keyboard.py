"""The search page with the keyboard only: skip link, query, facet, results, opening a dataset."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_until(page: Page, predicate: str, limit: int = 60) -> None:
    """Press Tab until ``predicate`` (a JS expression over ``document.activeElement`` as ``el``) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!({predicate}); }})()"):
            return
    raise AssertionError(f"Tab never reached an element where {predicate}")


def test_search_page_by_keyboard_only(site: Site, world: World) -> None:
    page = site.open("/search/")

    # The first Tab reaches the skip link; following it moves focus into the main content.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))

    # Type a query and submit it with Enter: datasets whose description matches.
    tab_until(page, "el.id === 'search-q'")
    page.keyboard.type("myeloid")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"q=myeloid"))
    expect(page.locator("#search-results")).to_contain_text("AHA AML Registry")
    expect(page.locator("#search-results")).not_to_contain_text("AHA Myeloma Cohort")

    # A new query for variables: replace the words, move to "Variables" with an arrow key, submit.
    tab_until(page, "el.id === 'search-q'")
    page.keyboard.press("Control+A")
    page.keyboard.type("FLT3")
    tab_until(page, "el.name === 'kind'")
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("radio", name="Variables")).to_be_checked()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("link", name="Skip to results")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("button", name="Search", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"q=FLT3.*kind=variables|kind=variables.*q=FLT3"))
    expect(page.locator("#search-results")).to_contain_text("flt3_itd")

    # Tick the first facet with Space, apply it with Enter.
    tab_until(page, "el.closest('.facet') && el.type === 'checkbox'")
    facet_name = page.evaluate("document.activeElement.name")
    page.keyboard.press("Space")
    tab_until(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Apply'")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"kind=variables.*{facet_name}=|{facet_name}=.*kind=variables"))
    expect(page.locator("#search-results")).to_contain_text("flt3_itd")

    # Every focused element shows a visible focus indicator.
    tab_until(page, "el.closest('#search-results') && el.tagName === 'A'")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"

    # Open the result's dataset with Enter.
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("AHA AML Registry")
