"""The administrators' statistics page in Chromium: time to decision per committee and month, requests by
state over time, the disease and country filters, and a chart's data downloaded as CSV."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance import workflow
from governance.models import AccessRequestItem, VoteDecision
from tests.browser.conftest import Site, World
from tests.governance.factories import draft_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_statistics_answer_questions(site: Site, world: World) -> None:
    access_request = draft_request(
        requester=world.cast.rita_researcher, partner=world.cast.partner_b, datasets=[world.aml]
    )
    workflow.submit(access_request=access_request, actor=world.cast.rita_researcher)
    item = access_request.items.get()
    workflow.vote_cast(item=item, member=world.dana_chair, decision=VoteDecision.APPROVE)
    workflow.vote_cast(item=item, member=world.mike_member, decision=VoteDecision.APPROVE)
    submitted = timezone.make_aware(datetime.datetime(2026, 3, 2, 12))
    AccessRequestItem.objects.filter(pk=item.pk).update(
        submitted_at=submitted, decided_at=submitted + datetime.timedelta(days=12)
    )

    site.sign_in("ada")
    page = site.page
    page.get_by_role("link", name="Statistics").click()
    decisions = page.get_by_role("table", name="AHA Data Access Committee", exact=True)
    expect(decisions.get_by_role("row", name="2026-03")).to_contain_text("12 d (90th percentile 12.0 d, 1 decided)")
    expect(decisions.locator(".bar").first).to_be_visible()
    states = page.get_by_role("table", name="State now, by month of submission")
    expect(states.get_by_role("row", name="2026-03")).to_contain_text("1")
    expect(states.get_by_role("columnheader", name="Approved")).to_be_visible()

    # The data behind the chart, as CSV.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the data (CSV)").nth(8).click()  # the decision times
    download = download_info.value
    assert download.suggested_filename == "harmony-decision-times.csv"
    with open(download.path(), encoding="utf-8") as exported:
        lines = exported.read().splitlines()
    assert lines == [
        "Committee,Month,Decisions,Median days,90th percentile days",
        "AHA Data Access Committee,2026-03,1,12.0,12.0",
    ]

    # Filters: myeloma datasets have no requests; the URL keeps the choice (shareable, back button).
    page.get_by_label("Disease", exact=True).select_option(label="Multiple myeloma")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(f"{site.base_url}/statistics/?disease=MM&country=")
    expect(page.locator("#no-decisions")).to_have_text("No decisions within these filters yet.")
    expect(page.locator("#no-submissions")).to_be_visible()
    page.get_by_label("Disease", exact=True).select_option(label="Acute myeloid leukaemia")
    page.get_by_label("Country of the holder").select_option(label="Germany")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("table", name="AHA Data Access Committee", exact=True)).to_be_visible()
    page.go_back()
    expect(page.locator("#no-decisions")).to_be_visible()
