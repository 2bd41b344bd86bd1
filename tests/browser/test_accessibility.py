"""axe-core (the build bundled with axe-playwright-python) on the main pages, as each role sees them, in English
and in German: no serious or critical violation is allowed."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from governance import workflow
from governance.models import DataSharingAgreement, DecisionLetter, VoteDecision
from tests.browser.conftest import Site, World
from tests.governance.factories import draft_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING_IMPACTS = {"serious", "critical"}


def blocking_violations(site: Site, path: str) -> list[str]:
    site.open(path)
    site.page.wait_for_load_state("networkidle")
    results = Axe().run(site.page)
    return [
        f"{path}: {violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(
            node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
            for node in violation["nodes"][:3]
        )
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


@pytest.mark.parametrize("language", ["en", "de"])
def test_main_pages_have_no_serious_accessibility_violations(site: Site, world: World, language: str) -> None:
    access_request = draft_request(
        requester=world.cast.rita_researcher, partner=world.cast.partner_b, datasets=[world.aml, world.myeloma]
    )
    workflow.submit(access_request=access_request, actor=world.cast.rita_researcher)
    aml_item, myeloma_item = access_request.items.order_by("dataset__title")
    workflow.vote_cast(item=aml_item, member=world.dana_chair, decision=VoteDecision.APPROVE)
    workflow.vote_cast(item=aml_item, member=world.mike_member, decision=VoteDecision.APPROVE)
    agreement = DataSharingAgreement.objects.get(request=access_request)
    letter = DecisionLetter.objects.get(item=aml_item)  # the approval's letter to rita
    # A draft's page shows the documents section with its upload form.
    draft = draft_request(requester=world.cast.rita_researcher, partner=world.cast.partner_b, datasets=[world.aml])

    pages = {
        None: [
            "/",
            "/datasets/",
            "/datasets/?disease=AML",
            f"/datasets/{world.aml.slug}/",
            "/partners/",
            f"/partners/{world.aml.partner.slug}/",
            "/search/?q=FLT3",
            "/search/?q=FLT3&kind=variables",
            "/search/feasibility/?concepts=npm1_status%0Aflt3_itd",
            "/search/?q=&use_purpose=DS&use_disease=AML",
            "/search/feasibility/?concepts=npm1_status&use_purpose=HMB",
            f"/datasets/compare/?datasets={world.aml.slug}&datasets={world.myeloma.slug}&use_purpose=HMB",
            "/accounts/login/",
            "/basket/",
            "/no-such-page/",
        ],
        "rita": [
            "/requests/",
            f"/requests/new/?datasets={world.aml.slug}",
            f"/requests/{access_request.pk}/",
            f"/requests/{draft.pk}/",
            f"/letters/{letter.pk}/",
        ],
        "dana": ["/review/", f"/review/items/{myeloma_item.pk}/", "/dashboard/"],
        "olga": [
            "/curate/",
            "/curate/new/",
            f"/curate/{world.aml.slug}/",
            f"/curate/{world.aml.slug}/dictionary/",
            f"/curate/{world.aml.slug}/consents/",
            "/holder/",
            f"/holder/items/{aml_item.pk}/",
        ],
        "ada": ["/statistics/"],
    }
    assert agreement.pk  # the release page shows the agreement
    site.open("/")
    if language != "en":
        site.choose_language(language)
    violations = []
    for username, paths in pages.items():
        if username:
            site.sign_in(username)
        for path in paths:
            violations += blocking_violations(site, path)
        if username:
            site.sign_out()
    assert violations == [], "\n".join(violations)
