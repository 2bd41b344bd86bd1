"""The committee's and the data holder's pages, second round: notifications open the review page, one decision
form with its errors next to the controls, the full consent-match report, what changed since the last round,
the holder's lists, confirmation steps for submit, release and revoke, and the inclusive end date everywhere."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from catalogue.models import DuoTerm
from governance import workflow
from governance.models import AccessGrant, AccessRequest, AccessRequestItem, ItemState, Notification
from governance.passports.issuer import grant_end
from tests.catalogue.factories import ConsentFactory
from tests.governance.factories import (
    approved_item,
    draft_request,
    released_item,
    signed_item,
    submitted_item,
)

pytestmark = pytest.mark.django_db


def client_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def html_of(response) -> str:
    return response.content.decode()


# --- the end date is inclusive ----------------------------------------------------------------------------


def test_a_requested_end_of_31_december_gives_a_grant_ending_31_december(gov):
    today = timezone.localdate()
    last_day = datetime.date(today.year + 2, 12, 31)
    item = signed_item(gov, requested_end=last_day, ethics_expiry=last_day)
    grant = workflow.release_item(item=item, actor=gov.base.olga_owner_curator)
    assert grant.valid_until == last_day
    assert grant.is_live(last_day) and not grant.is_live(last_day + datetime.timedelta(days=1))
    midnight_after = datetime.datetime(today.year + 3, 1, 1, tzinfo=ZoneInfo(settings.TIME_ZONE))
    assert grant_end(grant) == midnight_after  # the visa's exp


def test_an_ethics_approval_is_valid_through_its_expiry_day(gov):
    item = signed_item(gov)
    today = timezone.localdate()
    AccessRequest.objects.filter(pk=item.request_id).update(ethics_expiry=today)
    item = AccessRequestItem.objects.get(pk=item.pk)
    # The basis froze a later expiry; the request's (earlier) one bounds the approval.
    assert workflow.release_gate_problems(item, today=today) == []
    grant = workflow.release_item(item=item, actor=gov.base.olga_owner_curator)
    assert grant.valid_until == today


# --- the holder chooses the access period within what was approved ---------------------------------------


def test_the_holder_chooses_an_earlier_last_day(gov):
    item = signed_item(gov)
    day = timezone.localdate() + datetime.timedelta(days=30)
    response = APIClient()
    response.force_authenticate(gov.base.olga_owner_curator)
    answer = response.post(f"/api/v1/access-request-items/{item.pk}/release/", {"valid_until": day.isoformat()})
    assert answer.status_code == 201, answer.json()
    assert answer.json()["valid_until"] == day.isoformat()
    assert answer.json()["released_by"] == gov.base.olga_owner_curator.username


@pytest.mark.parametrize("days", [-1, 366])
def test_a_last_day_outside_the_approved_period_is_a_400_on_the_field(gov, days):
    item = signed_item(gov)  # requested end: today + 365
    day = timezone.localdate() + datetime.timedelta(days=days)
    client = APIClient()
    client.force_authenticate(gov.base.olga_owner_curator)
    answer = client.post(f"/api/v1/access-request-items/{item.pk}/release/", {"valid_until": day.isoformat()})
    assert answer.status_code == 400
    assert list(answer.json()["fields"]) == ["valid_until"]
    assert not AccessGrant.objects.filter(item=item).exists()


def test_the_release_confirmation_says_what_happens_and_refuses_a_day_too_late(gov):
    item = signed_item(gov)
    client = client_as(gov.base.olga_owner_curator)
    url = reverse("governance:release", args=[item.pk])
    html = html_of(client.get(url))
    latest = item.request.requested_end
    assert "What will happen" in html and "gets access to" in html
    assert f'value="{latest.isoformat()}"' in html  # the whole approved period is proposed
    html = html_of(client.post(url, {"valid_until": (latest + datetime.timedelta(days=1)).isoformat()}))
    assert 'id="id_valid_until_error"' in html and "cannot be after" in html
    assert not AccessGrant.objects.filter(item=item).exists()


def test_the_release_page_names_who_released_and_the_committee_that_approved(gov):
    item = released_item(gov)
    html = html_of(client_as(gov.base.olga_owner_curator).get(reverse("governance:release_page", args=[item.pk])))
    assert f"Approved by {item.dac.name}" in html
    assert f"Released by {item.dac.name}" not in html
    releaser = AccessGrant.objects.get(item=item).released_by
    assert f"by {releaser.username}." in html


def test_revoking_asks_for_confirmation_first(gov):
    item = released_item(gov)
    client = client_as(gov.base.olga_owner_curator)
    url = reverse("governance:revoke", args=[item.pk])
    html = html_of(client.get(url))
    assert "Access ends at once" in html and "cannot be undone" in html
    item.refresh_from_db()
    assert item.state == ItemState.RELEASED  # looking at the confirmation changes nothing
    client.post(url, {"reason": "Consent withdrawn."})
    item.refresh_from_db()
    assert item.state == ItemState.REVOKED


# --- the holder's lists -----------------------------------------------------------------------------------


def test_requests_under_review_or_closed_are_listed_for_the_holder(gov):
    under_review = submitted_item(gov)
    html = html_of(client_as(gov.base.olga_owner_curator).get(reverse("governance:holder_requests")))
    assert "No other requests" not in html
    assert reverse("governance:release_page", args=[under_review.pk]) in html
    page = html_of(
        client_as(gov.base.olga_owner_curator).get(reverse("governance:release_page", args=[under_review.pk]))
    )
    assert "Not decided yet" in page


# --- committee pages --------------------------------------------------------------------------------------


def test_the_committees_notification_opens_the_review_page(gov):
    item = submitted_item(gov)
    notification = Notification.objects.get(user=gov.chair, verb="item_awaits_review")
    assert notification.target_url == reverse("governance:item_review", args=[item.pk])


def test_the_holders_notifications_open_the_release_page(gov):
    item = approved_item(gov)
    notification = Notification.objects.get(user=gov.base.olga_owner_curator, verb="agreement_awaits_signature")
    assert notification.target_url == reverse("governance:release_page", args=[item.pk])


def test_a_refused_approval_appears_next_to_the_decision(gov):
    gov.dataset.consents.all().delete()
    ConsentFactory(dataset=gov.dataset, form_version="v9", permission=DuoTerm.objects.get(short_code="POA"))
    item = submitted_item(gov)
    url = reverse("governance:item_review", args=[item.pk])
    html = html_of(client_as(gov.chair).post(url, {"vote-decision": "approve"}))
    error_at = html.index('id="id_vote-decision_error"')
    assert "cannot be approved" in html[error_at : error_at + 400]
    assert f'action="{url}#vote"' in html  # the re-shown page opens at the form


def test_the_review_page_has_one_decision_form_and_the_full_report(gov):
    item = submitted_item(gov)
    html = html_of(client_as(gov.chair).get(reverse("governance:item_review", args=[item.pk])))
    assert html.count("Record my decision") == 1
    assert "Send back to the requester without voting" in html  # the chair's procedural power, same form
    assert "Each active consent of the dataset against the intended use" in html
    assert "Admits it" in html and "health or medical or biomedical research" in html


def test_a_resubmitted_request_shows_what_changed(gov):
    item = submitted_item(gov)
    workflow.request_changes(item=item, actor=gov.chair, comment="Narrow the aims.")
    AccessRequest.objects.filter(pk=item.request_id).update(scientific_aims="Estimate 2-year survival only.")
    workflow.resubmit(access_request=AccessRequest.objects.get(pk=item.request_id), actor=gov.base.rita_researcher)
    html = html_of(client_as(gov.chair).get(reverse("governance:item_review", args=[item.pk])))
    assert "What changed since round 1" in html
    assert "Estimate 2-year survival only." in html


# --- submit -----------------------------------------------------------------------------------------------


def test_submitting_asks_for_confirmation_naming_the_committee(gov):
    access_request = draft_request(
        requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[gov.dataset]
    )
    client = client_as(gov.base.rita_researcher)
    url = reverse("governance:request_submit", args=[access_request.pk])
    html = html_of(client.get(url))
    assert "What will happen" in html and gov.dataset.title in html and "Compatible" in html
    assert access_request.items.get().state == ItemState.DRAFT
    response = client.post(url)
    assert response.status_code == 302
    assert access_request.items.get().state == ItemState.UNDER_REVIEW


def test_only_the_requester_sees_the_submit_confirmation(gov):
    access_request = draft_request(
        requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[gov.dataset]
    )
    assert client_as(gov.chair).get(reverse("governance:request_submit", args=[access_request.pk])).status_code == 404
