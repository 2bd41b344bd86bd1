"""The Content-Security-Policy holds in a real browser: Chromium loads the main pages as each role sees them,
runs htmx and Swagger UI, and reports no violation (no inline script, style attribute or foreign source)."""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, expect

from governance import workflow
from governance.models import VoteDecision
from tests.browser.conftest import Site, World
from tests.governance.factories import draft_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script (Playwright injects it outside the page's policy) and keeps every violation event.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const blocked = event.blockedURI || "inline";
  window.__cspViolations.push(`${event.violatedDirective} blocked ${blocked} at line ${event.lineNumber}`);
});
"""


def violations_on(site: Site, path: str) -> list[str]:
    site.open(path)
    site.page.wait_for_load_state("networkidle")
    return [f"{path}: {violation}" for violation in site.page.evaluate("window.__cspViolations")]


def test_main_pages_load_without_csp_violations(site: Site, world: World) -> None:
    console: list[str] = []

    def keep_policy_errors(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            console.append(message.text)

    site.page.on("console", keep_policy_errors)
    site.page.add_init_script(RECORD_VIOLATIONS)
    access_request = draft_request(
        requester=world.cast.rita_researcher, partner=world.cast.partner_b, datasets=[world.aml, world.myeloma]
    )
    workflow.submit(access_request=access_request, actor=world.cast.rita_researcher)
    aml_item = access_request.items.get(dataset=world.aml)
    workflow.vote_cast(item=aml_item, member=world.dana_chair, decision=VoteDecision.APPROVE)
    pages = {
        None: [
            "/",
            "/datasets/",
            f"/datasets/{world.aml.slug}/",
            "/partners/",
            f"/partners/{world.aml.partner.slug}/",
            "/search/?q=FLT3",
            "/accounts/login/",
        ],
        "rita": ["/requests/", f"/requests/{access_request.pk}/"],
        "dana": ["/review/", f"/review/items/{aml_item.pk}/", "/dashboard/"],
        "olga": ["/curate/", f"/curate/{world.aml.slug}/", f"/curate/{world.aml.slug}/consents/", "/holder/"],
        "ada": ["/admin/", "/statistics/"],  # the admin has its own chrome: sign out from ours
    }
    violations = []
    for username, paths in pages.items():
        if username:
            site.sign_in(username)
        for path in paths:
            violations += violations_on(site, path)
            if path == f"/review/items/{aml_item.pk}/":
                # The rule's progress bar gets its width from static/js/harmony.js, not a style attribute.
                assert site.page.locator(".progress > span").evaluate("span => span.style.width") == "50%"
        if username:
            site.sign_out()

    # htmx: typing in the search box fetches suggestions into the page.
    page = site.open("/search/")
    with page.expect_response(lambda response: "suggest" in response.url):
        page.locator("#search-q").fill("FLT")
    violations += [f"/search/ (typing): {v}" for v in page.evaluate("window.__cspViolations")]

    # Swagger UI renders the schema under the policy (its start-up script is a file: SpectacularSwaggerSplitView).
    page = site.open("/api/docs/")
    expect(page.get_by_role("heading", name="HARMONY Catalogue API")).to_be_visible()
    violations += [f"/api/docs/: {v}" for v in page.evaluate("window.__cspViolations")]

    assert violations == [] and console == [], "\n".join(violations + console)
