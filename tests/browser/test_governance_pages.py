"""The committee's and the data holder's pages in Chromium: confirmation steps (submit, release, revoke; they
work without script), the holder's lists and access period (the end date is inclusive), a notification that
opens the review page, and a refused vote shown next to its control on a 390 px phone. axe stays clean on each
new page."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from governance import workflow
from governance.models import AccessGrant, DataSharingAgreement, ItemState, VoteDecision
from tests.browser.conftest import Site, World
from tests.browser.test_accessibility import blocking_violations
from tests.governance.factories import draft_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAST_DAY = datetime.date(2028, 12, 31)


def test_the_holder_follows_releases_for_a_chosen_period_and_revokes(site: Site, world: World) -> None:
    access_request = draft_request(
        requester=world.cast.rita_researcher,
        partner=world.cast.partner_b,
        datasets=[world.aml],
        requested_end=LAST_DAY,
        ethics_expiry=datetime.date(2029, 6, 30),
    )
    workflow.submit(access_request=access_request, actor=world.cast.rita_researcher)
    item = access_request.items.get()

    # Under review: listed for the holder, who can open it.
    site.sign_in("olga")
    page = site.open("/holder/")
    section = page.locator("section", has=page.get_by_role("heading", name="Under review or closed"))
    expect(section.get_by_role("row", name=re.compile(access_request.title))).to_contain_text("Under review")

    workflow.vote_cast(item=item, member=world.dana_chair, decision=VoteDecision.APPROVE)
    workflow.vote_cast(item=item, member=world.mike_member, decision=VoteDecision.APPROVE)
    agreement = DataSharingAgreement.objects.get(request=access_request)
    workflow.agreement_sign(agreement=agreement, actor=world.cast.rita_researcher, side="requester")

    # Signing shows the agreement's text first and records the typed name.
    site.open(f"/holder/items/{item.pk}/")
    page.get_by_role("link", name="Read and sign for AHA").click()
    expect(page.locator(".agreement-text")).to_contain_text("AHA AML Registry")
    expect(page.locator(".agreement-text")).to_contain_text("to 2028-12-31 inclusive")
    assert blocking_violations(site, page.url.removeprefix(site.base_url)) == []
    page.get_by_label("Your full name").fill("Olga Owner")
    page.get_by_role("button", name="Sign for AHA").click()
    expect(page.locator(".messages")).to_contain_text("signed on the holder side")
    agreement.refresh_from_db()
    assert agreement.holder_signed_name == "Olga Owner" and agreement.holder_signed_sha256 == agreement.text_sha256

    # The release asks first, proposes the whole approved period (through 31 December 2028) and refuses more.
    site.open(f"/holder/items/{item.pk}/")
    expect(page.get_by_text("Approved by AHA Data Access Committee")).to_be_visible()
    page.get_by_role("link", name="Release the data…").click()
    expect(page.get_by_role("heading", name="What will happen")).to_be_visible()
    day = page.get_by_label("Last day of access")
    expect(day).to_have_value("2028-12-31")
    assert blocking_violations(site, page.url.removeprefix(site.base_url)) == []
    day.fill("2029-01-15")
    page.get_by_role("button", name="Release the data").click()
    expect(page.locator("#id_valid_until_error")).to_contain_text("cannot be after 2028-12-31")
    assert not AccessGrant.objects.filter(item=item).exists()
    page.get_by_label("Last day of access").fill("2028-06-30")
    page.get_by_role("button", name="Release the data").click()
    expect(page.locator(".messages")).to_contain_text("until 30 June 2028 (inclusive)")
    expect(page.get_by_text("Released on")).to_contain_text("by olga")
    assert AccessGrant.objects.get(item=item).valid_until == datetime.date(2028, 6, 30)

    # Revoking asks first too, and needs a reason.
    page.get_by_role("link", name="Revoke access…").click()
    expect(page.get_by_text("Access ends at once")).to_be_visible()
    assert blocking_violations(site, page.url.removeprefix(site.base_url)) == []
    page.get_by_role("button", name="Revoke access now").click()
    expect(page.locator("#id_reason_error")).to_be_visible()
    page.get_by_label("Reason for revoking access").fill("The study ended early.")
    page.get_by_role("button", name="Revoke access now").click()
    expect(page.locator(".messages")).to_contain_text("Access is revoked")
    item.refresh_from_db()
    assert item.state == ItemState.REVOKED


def test_a_committee_member_on_a_phone_goes_from_the_notification_to_the_vote(site: Site, world: World) -> None:
    access_request = draft_request(
        requester=world.cast.rita_researcher, partner=world.cast.partner_b, datasets=[world.aml], commercial=True
    )
    workflow.submit(access_request=access_request, actor=world.cast.rita_researcher)
    item = access_request.items.get()

    site.sign_in("dana")
    site.page.set_viewport_size({"width": 390, "height": 844})
    page = site.open("/inbox/")
    page.get_by_role("button", name=re.compile("^Open")).first.click()
    expect(page).to_have_url(re.compile(f"/review/items/{item.pk}/"))
    expect(page.get_by_role("heading", name="Consent-match report")).to_be_visible()
    expect(page.locator("table.match-report")).to_contain_text("Does not admit it")
    assert blocking_violations(site, f"/review/items/{item.pk}/") == []

    # One decision form; an approval the consent refuses is explained next to the choice, in view.
    expect(page.get_by_role("button", name="Record my decision")).to_have_count(1)
    page.get_by_role("radio", name="Approve").check()
    page.get_by_role("button", name="Record my decision").click()
    error = page.locator("#id_vote-decision_error")
    expect(error).to_contain_text("cannot be approved")
    expect(error).to_be_in_viewport()
    page.get_by_role("radio", name="Reject").check()
    page.get_by_label("Reason for the requester", exact=True).fill("Commercial use is excluded by the consent.")
    page.get_by_role("button", name="Record my decision").click()
    expect(page.locator(".messages")).to_contain_text("Your vote is recorded")
