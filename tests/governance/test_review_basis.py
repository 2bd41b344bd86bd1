"""Decisions rest on frozen facts: each submitted item records the basis of its review (the intended use and
the consent conditions it was matched against); votes, agreements and grants refer to it; the use cannot change
under a decision that stands on it, and a grant is bounded by the approved basis."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from catalogue.models import DuoTerm
from catalogue.services.memberships import membership_grant
from governance import services, workflow
from governance.models import AccessGrant, AccessRequest, DacRole, DecisionRule, ItemState, Vote
from governance.review_basis import snapshot_sha256
from tests.catalogue.factories import ConsentFactory, DatasetFactory, PartnerFactory, UserFactory
from tests.conftest import api_as
from tests.governance.factories import draft_request, released_item, submitted_item
from tests.governance.test_pages import client_as, page

pytestmark = pytest.mark.django_db


def test_submission_freezes_the_basis_and_hashes_it_into_the_submit_event(gov):
    item = submitted_item(gov)
    basis = item.basis
    assert basis.review_round == 1
    assert basis.intended_use["fields"]["purpose"] == "HMB"
    assert basis.intended_use["fields"]["requested_end"] == item.request.requested_end.isoformat()
    assert [c["permission"] for c in basis.consent_conditions] == ["HMB"]
    assert basis.sha256 == snapshot_sha256(basis.intended_use, basis.consent_conditions)
    event = AuditEvent.objects.get(action="item.submit", object_id=str(item.pk))
    assert event.after["basis_sha256"] == basis.sha256 and event.after["basis_id"] == basis.pk


def test_votes_agreements_and_grants_refer_to_the_basis(gov):
    item = released_item(gov)
    assert set(Vote.objects.filter(item=item).values_list("basis_id", flat=True)) == {item.basis_id}
    assert list(item.request.agreements.get().bases.all()) == [item.basis]
    assert AccessGrant.objects.get(item=item).basis_id == item.basis_id


def test_the_review_page_shows_the_basis_the_committee_decides_on(gov):
    item = submitted_item(gov)
    html = page(client_as(gov.chair).get(reverse("governance:item_review", args=[item.pk])))
    assert "Basis of this review" in html and item.basis.sha256 in html


@pytest.fixture
def two_holders(gov):
    """Rita asks for AHA's dataset (majority of dana and mike) and CLC's (cleo alone decides)."""
    partner_c = PartnerFactory(name="Clinic C", short_name="CLC", slug="clc")
    dac_c = services.dac_create(name="CLC DAC", partner=partner_c, decision_rule=DecisionRule.ANY_ONE)
    cleo = UserFactory(username="cleo_clc_chair")
    services.dac_member_set(dac=dac_c, user=cleo, role=DacRole.CHAIR)
    dataset_c = DatasetFactory(partner=partner_c, title="CLC myeloma registry", slug="clc-mm")
    ConsentFactory(dataset=dataset_c, permission=DuoTerm.objects.get(short_code="GRU"))
    access_request = draft_request(
        requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[gov.dataset, dataset_c]
    )
    workflow.submit(access_request=access_request, actor=gov.base.rita_researcher)
    return (
        access_request,
        access_request.items.get(dataset=gov.dataset),
        access_request.items.get(dataset=dataset_c),
        cleo,
    )


def _approved_by_one_sent_back_by_other(gov, two_holders):
    access_request, item_a, item_c, cleo = two_holders
    api_as(cleo).post(f"/api/v1/access-request-items/{item_c.pk}/votes/", {"decision": "approve"})
    api_as(gov.chair).post(
        f"/api/v1/access-request-items/{item_a.pk}/request-changes/", {"comment": "Name the age bands."}
    )
    item_a.refresh_from_db()
    item_c.refresh_from_db()
    assert (item_a.state, item_c.state) == (ItemState.CHANGES_REQUESTED, ItemState.APPROVED)
    return access_request, item_a, item_c


def test_the_use_cannot_change_under_an_approved_sibling(gov, two_holders):
    access_request, _, _ = _approved_by_one_sent_back_by_other(gov, two_holders)
    response = api_as(gov.base.rita_researcher).patch(
        f"/api/v1/access-requests/{access_request.pk}/", {"commercial": True, "scientific_aims": "Drug pricing."}
    )
    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == (
        "The intended use (scientific aims, commercial) cannot change while other datasets of this request stand on "
        "the use their committee reviewed; withdraw them first, or leave the use as submitted."
    )
    assert body["reasons"] == ["“CLC myeloma registry” is approved."]
    access_request.refresh_from_db()
    assert access_request.commercial is False


def test_the_period_cannot_be_stretched_after_approval_and_the_grant_stays_within_the_approved_basis(gov, two_holders):
    access_request, _, item_c = _approved_by_one_sent_back_by_other(gov, two_holders)
    approved_end = access_request.requested_end
    response = api_as(gov.base.rita_researcher).patch(
        f"/api/v1/access-requests/{access_request.pk}/",
        {
            "requested_end": (approved_end + datetime.timedelta(days=3000)).isoformat(),
            "ethics_expiry": (approved_end + datetime.timedelta(days=3100)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["reasons"] == ["“CLC myeloma registry” is approved."]
    # Even if the dates changed behind the services' back (a database edit), the grant keeps to the basis.
    AccessRequest.objects.filter(pk=access_request.pk).update(
        requested_end=approved_end + datetime.timedelta(days=3000),
        ethics_expiry=approved_end + datetime.timedelta(days=3100),
    )
    agreement = access_request.agreements.get()
    curator_c = UserFactory(username="clc_curator")
    membership_grant(user=curator_c, partner=item_c.dataset.partner, role="curator")
    workflow.agreement_sign(agreement=agreement, actor=gov.base.rita_researcher, side="requester")
    workflow.agreement_sign(agreement=agreement, actor=curator_c, side="holder")
    response = api_as(curator_c).post(f"/api/v1/access-request-items/{item_c.pk}/release/")
    assert response.status_code == 201, response.json()
    assert AccessGrant.objects.get(item=item_c).valid_until == approved_end


def test_the_item_sent_back_is_reviewed_on_a_new_basis_the_decided_one_keeps_its_own(gov):
    item = submitted_item(gov)
    first = item.basis
    api_as(gov.chair).post(f"/api/v1/access-request-items/{item.pk}/request-changes/", {"comment": "Aims?"})
    rita = api_as(gov.base.rita_researcher)
    assert (
        rita.patch(f"/api/v1/access-requests/{item.request_id}/", {"scientific_aims": "Survival."}).status_code == 200
    )
    assert rita.post(f"/api/v1/access-requests/{item.request_id}/resubmit/").status_code == 200
    item.refresh_from_db()
    assert item.basis != first and item.basis.review_round == 2
    assert item.basis.intended_use["fields"]["scientific_aims"] == "Survival."
    first.refresh_from_db()
    assert first.intended_use["fields"]["scientific_aims"] != "Survival."
    assert AuditEvent.objects.get(action="item.resubmit").after["basis_sha256"] == item.basis.sha256


def test_the_title_may_change_under_a_standing_decision(gov, two_holders):
    access_request, _, _ = _approved_by_one_sent_back_by_other(gov, two_holders)
    response = api_as(gov.base.rita_researcher).patch(
        f"/api/v1/access-requests/{access_request.pk}/", {"title": "Older AML patients, by age band"}
    )
    assert response.status_code == 200
