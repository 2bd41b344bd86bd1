"""Every bypass a user could try, each through the API, with the exact status and message they get."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from catalogue.models import Distribution, DistributionKind, DuoTerm, MembershipRole, MondoTerm
from catalogue.services.datasets import dataset_retire
from catalogue.services.memberships import membership_grant
from governance import services
from governance.api.serializers import STATE_READ_ONLY
from governance.models import AccessGrant, AccessRequest, AccessRequestItem, DacRole, ItemState, Vote
from tests.catalogue.factories import ConsentFactory, DatasetFactory, UserFactory
from tests.conftest import api_as
from tests.governance.factories import (
    approved_item,
    draft_request,
    released_item,
    signed_item,
    submitted_item,
)

pytestmark = pytest.mark.django_db

INCOMPATIBLE = "This item cannot be approved: the intended use is not compatible with the dataset's consent."


def vote(user, item, decision="approve", comment="", reason=""):
    """A vote through the API; a rejection carries a reason for the requester, as it must."""
    reason = reason or ("Out of scope." if decision == "reject" else "")
    return api_as(user).post(
        f"/api/v1/access-request-items/{item.pk}/votes/", {"decision": decision, "comment": comment, "reason": reason}
    )


def state_of(item: AccessRequestItem) -> str:
    item.refresh_from_db()
    return item.state


@pytest.fixture
def distribution(gov, private_storage) -> Distribution:
    return Distribution.objects.create(
        dataset=gov.dataset,
        title="Extract",
        kind=DistributionKind.FILE,
        file=ContentFile(b"a,b\n1,2\n", name="extract.csv"),
    )


@pytest.fixture
def myeloma_request_on_aml_only_dataset(gov) -> AccessRequestItem:
    """A DS-AML dataset asked for myeloma research: incompatible."""
    aml_only = DatasetFactory(partner=gov.base.partner_a, title="AML-only cohort", slug="aml-only")
    ConsentFactory(
        dataset=aml_only,
        form_version="v2",
        permission=DuoTerm.objects.get(short_code="DS"),
        diseases=["AML"],
    )
    access_request = draft_request(
        requester=gov.base.rita_researcher,
        partner=gov.base.partner_b,
        datasets=[aml_only],
        purpose="DS",
        disease=MondoTerm.objects.get(pk="MONDO:0009693"),
    )
    api_as(gov.base.rita_researcher).post(f"/api/v1/access-requests/{access_request.pk}/submit/")
    return access_request.items.get()


# --- consent enforcement ------------------------------------------------------------------------------


def test_approving_an_incompatible_item_is_refused_with_the_reasons(gov, myeloma_request_on_aml_only_dataset):
    item = myeloma_request_on_aml_only_dataset
    response = vote(gov.chair, item)
    assert response.status_code == 400
    assert response.json() == {
        "detail": INCOMPATIBLE,
        "code": "rule_refused",
        "reasons": [
            "The consent (DS) admits only research on acute myeloid leukemia; "
            "research on multiple myeloma is not covered."
        ],
        "fields": {},
    }
    assert not Vote.objects.filter(item=item).exists()
    assert state_of(item) == ItemState.UNDER_REVIEW


def test_the_incompatibility_is_shown_to_everyone_involved(gov, myeloma_request_on_aml_only_dataset):
    item = myeloma_request_on_aml_only_dataset
    for user in (gov.base.rita_researcher, gov.chair, gov.recused_member):
        report = api_as(user).get(f"/api/v1/access-request-items/{item.pk}/").json()["consent_match"]
        assert report["compatible"] is False and report["needs_review"] is False
        assert "multiple myeloma is not covered" in report["reasons"][0]


def test_an_admin_on_the_dac_cannot_approve_an_incompatible_item_either(gov, myeloma_request_on_aml_only_dataset):
    services.dac_member_set(dac=gov.dac, user=gov.base.ada_admin, role=DacRole.CHAIR)
    response = vote(gov.base.ada_admin, myeloma_request_on_aml_only_dataset)
    assert response.status_code == 400
    assert response.json()["detail"] == INCOMPATIBLE


def test_an_incompatible_item_can_be_rejected(gov, myeloma_request_on_aml_only_dataset):
    item = myeloma_request_on_aml_only_dataset
    assert vote(gov.chair, item, "reject").status_code == 201
    assert state_of(item) == ItemState.REJECTED  # majority of 2 can no longer be reached


# --- the decision rule ----------------------------------------------------------------------------------


def test_one_approval_does_not_reach_the_majority_rule(gov):
    item = submitted_item(gov)
    assert vote(gov.chair, item).status_code == 201
    assert state_of(item) == ItemState.UNDER_REVIEW
    tally = api_as(gov.chair).get(f"/api/v1/access-request-items/{item.pk}/").json()["tally"]
    assert tally == {
        "review_round": 1,
        "approvals": 1,
        "rejections": 0,
        "changes": 0,
        "eligible": 2,
        "rule": "majority",
        "quorum_k": None,
        "outcome": "pending",
    }
    response = api_as(gov.base.olga_owner_curator).post(f"/api/v1/access-request-items/{item.pk}/release/")
    assert response.status_code == 409  # the holder sees the item under review, and cannot release it yet


def test_release_of_an_item_under_review_is_a_forged_transition(gov):
    item = submitted_item(gov)
    response = api_as(gov.secretary).post(f"/api/v1/access-request-items/{item.pk}/release/")
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Cannot release this item: it is under review (allowed from: agreement signed)."
    )


def test_voting_twice_is_refused(gov):
    item = submitted_item(gov)
    assert vote(gov.chair, item).status_code == 201
    response = vote(gov.chair, item, "reject")
    assert response.status_code == 409
    assert response.json()["detail"] == "You have already voted on this item in review round 1."
    assert Vote.objects.filter(item=item, member=gov.chair).count() == 1


def test_the_database_refuses_a_second_vote_in_the_same_round(gov):
    item = submitted_item(gov)
    Vote.objects.create(item=item, member=gov.chair, review_round=1, decision="approve")
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(item=item, member=gov.chair, review_round=1, decision="reject")


def test_a_recused_member_cannot_vote_and_does_not_count(gov):
    item = submitted_item(gov)
    response = vote(gov.recused_member, item)
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "You are recused from this request: You are affiliated with the requesting partner UNB."
    )
    assert not Vote.objects.filter(item=item).exists()
    tally = api_as(gov.chair).get(f"/api/v1/access-request-items/{item.pk}/").json()["tally"]
    assert tally["eligible"] == 2


def test_the_requester_cannot_approve_their_own_request(gov):
    services.dac_member_set(dac=gov.dac, user=gov.base.rita_researcher, role=DacRole.CHAIR)
    item = submitted_item(gov)
    response = vote(gov.base.rita_researcher, item)
    assert response.status_code == 403
    assert response.json()["detail"] == "You are recused from this request: You are the requester of this request."


def test_a_secretary_does_not_vote(gov):
    item = submitted_item(gov)
    response = vote(gov.secretary, item)
    assert response.status_code == 403
    assert response.json()["detail"] == "DAC secretaries do not vote."


def test_someone_outside_the_dac_cannot_see_or_vote_on_the_item(gov):
    item = submitted_item(gov)
    response = vote(gov.base.carl_other_curator, item)
    assert response.status_code == 404


def test_a_member_of_another_dac_cannot_vote(gov):
    other = services.dac_create(name="UNB DAC", partner=gov.base.partner_b)
    outsider = UserFactory(username="otto_other_dac")
    services.dac_member_set(dac=other, user=outsider, role=DacRole.CHAIR)
    services.dac_member_set(dac=gov.dac, user=outsider, role=DacRole.SECRETARY)  # sees the item, cannot vote
    item = submitted_item(gov)
    assert vote(outsider, item).status_code == 403


def test_votes_on_a_decided_item_are_refused(gov):
    item = approved_item(gov)
    services.dac_member_set(dac=gov.dac, user=UserFactory(username="late_member"), role=DacRole.MEMBER)
    late = type(gov.chair).objects.get(username="late_member")
    response = vote(late, item)
    assert response.status_code == 409
    assert response.json()["detail"] == "Votes are accepted only while the item is under review; it is approved."


# --- release gate ---------------------------------------------------------------------------------------


def test_releasing_before_the_agreement_is_refused(gov):
    item = approved_item(gov)
    response = api_as(gov.base.olga_owner_curator).post(f"/api/v1/access-request-items/{item.pk}/release/")
    assert response.status_code == 409
    assert response.json()["detail"] == "Cannot release this item: it is approved (allowed from: agreement signed)."
    assert not AccessGrant.objects.exists()


def test_releasing_with_only_the_requester_signature_is_refused(gov):
    item = approved_item(gov)
    agreement = item.request.agreements.get()
    api_as(gov.base.rita_researcher).post(f"/api/v1/agreements/{agreement.pk}/sign/", {"side": "requester"})
    response = api_as(gov.base.olga_owner_curator).post(f"/api/v1/access-request-items/{item.pk}/release/")
    assert response.status_code == 409
    assert state_of(item) == ItemState.APPROVED


def test_the_requester_cannot_sign_for_the_holder(gov):
    item = approved_item(gov)
    agreement = item.request.agreements.get()
    response = api_as(gov.base.rita_researcher).post(f"/api/v1/agreements/{agreement.pk}/sign/", {"side": "holder"})
    assert response.status_code == 403
    assert response.json()["detail"] == "You cannot sign this agreement on behalf of AHA."


def test_signing_twice_is_refused(gov):
    item = approved_item(gov)
    agreement = item.request.agreements.get()
    url = f"/api/v1/agreements/{agreement.pk}/sign/"
    assert api_as(gov.base.rita_researcher).post(url, {"side": "requester"}).status_code == 200
    response = api_as(gov.base.rita_researcher).post(url, {"side": "requester"})
    assert response.status_code == 409
    assert response.json()["detail"] == "The agreement is already signed on the requester side."


def test_releasing_after_the_ethics_approval_expired_is_refused(gov):
    item = signed_item(gov)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    AccessRequest.objects.filter(pk=item.request_id).update(ethics_expiry=yesterday)
    response = api_as(gov.base.olga_owner_curator).post(f"/api/v1/access-request-items/{item.pk}/release/")
    assert response.status_code == 400
    assert response.json()["detail"] == "This item cannot be released."
    assert response.json()["reasons"] == [f"The ethics approval expired on {yesterday}."]
    assert state_of(item) == ItemState.AGREEMENT_SIGNED


def test_releasing_a_retired_dataset_is_refused(gov):
    item = signed_item(gov)
    dataset_retire(actor=gov.base.olga_owner_curator, dataset=gov.dataset)
    response = api_as(gov.base.olga_owner_curator).post(f"/api/v1/access-request-items/{item.pk}/release/")
    assert response.status_code == 400
    assert response.json()["reasons"] == ["The dataset has been retired."]


def test_releasing_when_the_consent_no_longer_covers_the_use_is_refused(gov):
    item = signed_item(gov)
    consent = gov.dataset.consents.get()
    consent.withdrawn_at = timezone.now()
    consent.save()
    response = api_as(gov.base.olga_owner_curator).post(f"/api/v1/access-request-items/{item.pk}/release/")
    assert response.status_code == 400
    assert response.json()["reasons"] == [
        "The dataset's consent no longer covers the intended use.",
        "The dataset has no active consent, so no use can be admitted.",
    ]


def test_the_requester_cannot_release_their_own_item(gov):
    item = signed_item(gov)
    response = api_as(gov.base.rita_researcher).post(f"/api/v1/access-request-items/{item.pk}/release/")
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Only the data holder's curators or the DAC's chair or secretary can release data."
    )


# --- downloads ------------------------------------------------------------------------------------------


def test_downloading_without_a_grant_is_refused(gov, distribution):
    response = api_as(gov.base.rita_researcher).get(f"/api/v1/downloads/{distribution.pk}/")
    assert response.status_code == 403
    assert response.json()["detail"] == "You have no access grant for this dataset."


def test_downloading_anonymously_is_refused(gov, distribution):
    response = api_as(None).get(f"/api/v1/downloads/{distribution.pk}/")
    assert response.status_code == 403
    assert response.json()["detail"] == "Authentication credentials were not provided."


def test_downloading_after_expiry_is_refused_and_expires_the_item(gov, distribution):
    item = released_item(gov)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    AccessGrant.objects.filter(item=item).update(valid_until=yesterday)
    response = api_as(gov.base.rita_researcher).get(f"/api/v1/downloads/{distribution.pk}/")
    assert response.status_code == 403
    assert response.json()["detail"] == f"Your access grant expired on {yesterday}."
    assert state_of(item) == ItemState.EXPIRED


def test_downloading_after_revocation_is_refused(gov, distribution):
    item = released_item(gov)
    grant = item.grant
    revoked = api_as(gov.chair).post(f"/api/v1/grants/{grant.pk}/revoke/", {"reason": "Consent queried."})
    assert revoked.status_code == 200
    response = api_as(gov.base.rita_researcher).get(f"/api/v1/downloads/{distribution.pk}/")
    assert response.status_code == 403
    assert response.json()["detail"] == f"Your access grant was revoked on {timezone.localdate()}: Consent queried."


def test_the_requester_cannot_revoke_or_extend_their_grant(gov):
    item = released_item(gov)
    response = api_as(gov.base.rita_researcher).post(f"/api/v1/grants/{item.grant.pk}/revoke/", {"reason": "x"})
    assert response.status_code == 403
    patch = api_as(gov.base.rita_researcher).patch(f"/api/v1/grants/{item.grant.pk}/", {"valid_until": "2099-01-01"})
    assert patch.status_code == 405


def test_someone_elses_grant_does_not_open_the_file(gov, distribution):
    released_item(gov)
    teammate = UserFactory(username="tina_team_researcher")
    membership_grant(user=teammate, partner=gov.base.partner_b, role=MembershipRole.RESEARCHER)
    response = api_as(teammate).get(f"/api/v1/downloads/{distribution.pk}/")
    assert response.status_code == 403
    assert response.json()["detail"] == "You have no access grant for this dataset."


# --- other people's requests ---------------------------------------------------------------------------


def test_reading_another_researchers_request_is_refused(gov):
    access_request = submitted_item(gov).request
    stranger = UserFactory(username="paul_other_researcher")
    membership_grant(user=stranger, partner=gov.base.partner_a, role=MembershipRole.RESEARCHER)
    response = api_as(stranger).get(f"/api/v1/access-requests/{access_request.pk}/")
    assert response.status_code == 404
    assert api_as(stranger).get("/api/v1/access-requests/").json()["count"] == 0
    assert api_as(stranger).get(f"/api/v1/audit-events/?request={access_request.pk}").json()["count"] == 0


def test_changing_another_researchers_request_is_refused(gov):
    access_request = draft_request(
        requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[gov.dataset]
    )
    stranger = UserFactory(username="paul_other_researcher")
    response = api_as(stranger).patch(f"/api/v1/access-requests/{access_request.pk}/", {"title": "Mine now"})
    assert response.status_code == 404
    assert api_as(stranger).post(f"/api/v1/access-requests/{access_request.pk}/submit/").status_code == 404
    assert api_as(stranger).delete(f"/api/v1/access-requests/{access_request.pk}/").status_code == 404


def test_a_teammate_reads_but_cannot_change_or_submit(gov):
    access_request = draft_request(
        requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[gov.dataset]
    )
    teammate = UserFactory(username="tina_team_researcher")
    membership_grant(user=teammate, partner=gov.base.partner_b, role=MembershipRole.RESEARCHER)
    assert api_as(teammate).get(f"/api/v1/access-requests/{access_request.pk}/").status_code == 200
    response = api_as(teammate).patch(f"/api/v1/access-requests/{access_request.pk}/", {"title": "Ours"})
    assert response.status_code == 403
    assert response.json()["detail"] == "Only the requester can change this request."
    response = api_as(teammate).post(f"/api/v1/access-requests/{access_request.pk}/submit/")
    assert response.status_code == 403
    assert response.json()["detail"] == "Only the requester can submit this request."
    response = api_as(teammate).post(f"/api/v1/access-requests/{access_request.pk}/withdraw/")
    assert response.status_code == 403
    assert response.json()["detail"] == "Only the requester can withdraw this request."


def test_the_dac_does_not_see_drafts(gov):
    draft_request(requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[gov.dataset])
    assert api_as(gov.chair).get("/api/v1/access-requests/").json()["count"] == 0
    assert api_as(gov.chair).get("/api/v1/access-request-items/").json()["count"] == 0


def test_requesting_on_behalf_of_a_partner_you_do_not_belong_to_is_refused(gov):
    response = api_as(gov.base.rita_researcher).post(
        "/api/v1/access-requests/",
        {"partner": gov.base.partner_a.pk, "title": "Borrowed hat", "items": [{"dataset": gov.dataset.pk}]},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "You can request access only on behalf of a partner where you are a researcher; AHA is not."
    )


def test_editing_a_submitted_request_is_refused(gov):
    access_request = submitted_item(gov).request
    response = api_as(gov.base.rita_researcher).patch(
        f"/api/v1/access-requests/{access_request.pk}/", {"title": "Changed after submission"}
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "This request can no longer be edited: it is under review."
    access_request.refresh_from_db()
    assert access_request.title == "Outcome of older AML patients"


def test_deleting_a_submitted_request_is_refused(gov):
    access_request = submitted_item(gov).request
    response = api_as(gov.base.rita_researcher).delete(f"/api/v1/access-requests/{access_request.pk}/")
    assert response.status_code == 409
    assert response.json()["detail"] == "A submitted request cannot be deleted; withdraw it instead."


# --- forged transitions ----------------------------------------------------------------------------------


def test_setting_the_state_directly_is_refused(gov):
    access_request = draft_request(
        requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[gov.dataset]
    )
    response = api_as(gov.base.rita_researcher).patch(
        f"/api/v1/access-requests/{access_request.pk}/", {"state": "approved"}
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"state": [STATE_READ_ONLY]}
    item = access_request.items.get()
    assert state_of(item) == ItemState.DRAFT
    for method in ("patch", "put", "delete"):
        response = getattr(api_as(gov.base.ada_admin), method)(
            f"/api/v1/access-request-items/{item.pk}/", {"state": "released"}
        )
        assert response.status_code == 405
    assert state_of(item) == ItemState.DRAFT


def test_submitting_twice_is_refused(gov):
    access_request = submitted_item(gov).request
    response = api_as(gov.base.rita_researcher).post(f"/api/v1/access-requests/{access_request.pk}/submit/")
    assert response.status_code == 409
    assert response.json()["detail"] == "Cannot submit this item: it is under review (allowed from: draft)."


def test_resubmitting_without_changes_requested_is_refused(gov):
    access_request = submitted_item(gov).request
    response = api_as(gov.base.rita_researcher).post(f"/api/v1/access-requests/{access_request.pk}/resubmit/")
    assert response.status_code == 409
    assert response.json()["detail"] == "Nothing to resubmit: no item of this request is waiting for changes."


def test_withdrawing_after_release_is_refused(gov):
    item = released_item(gov)
    response = api_as(gov.base.rita_researcher).post(f"/api/v1/access-request-items/{item.pk}/withdraw/")
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Cannot withdraw this item: it is released (allowed from: ")
    assert state_of(item) == ItemState.RELEASED


def test_withdrawing_under_review_closes_the_item(gov):
    item = submitted_item(gov)
    response = api_as(gov.base.rita_researcher).post(f"/api/v1/access-requests/{item.request_id}/withdraw/")
    assert response.status_code == 200
    assert response.json()["state"] == "withdrawn"
    assert vote(gov.chair, item).status_code == 409


def test_revoking_twice_is_refused(gov):
    item = released_item(gov)
    url = f"/api/v1/grants/{item.grant.pk}/revoke/"
    assert api_as(gov.chair).post(url, {"reason": "First"}).status_code == 200
    response = api_as(gov.chair).post(url, {"reason": "Second"})
    assert response.status_code == 409
    assert response.json()["detail"] == "Cannot revoke this item: it is revoked (allowed from: released)."


def test_submitting_an_incomplete_request_lists_what_is_missing(gov):
    access_request = draft_request(
        requester=gov.base.rita_researcher,
        partner=gov.base.partner_b,
        datasets=[gov.dataset],
        ethics_reference="",
        ethics_expiry=timezone.localdate() - datetime.timedelta(days=1),
    )
    response = api_as(gov.base.rita_researcher).post(f"/api/v1/access-requests/{access_request.pk}/submit/")
    assert response.status_code == 400
    assert response.json()["reasons"] == [
        "Ethics reference is required.",
        f"The ethics approval expired on {timezone.localdate() - datetime.timedelta(days=1)}.",
    ]


def test_anonymous_visitors_see_nothing(gov):
    submitted_item(gov)
    for url in (
        "/api/v1/access-requests/",
        "/api/v1/access-request-items/",
        "/api/v1/grants/",
        "/api/v1/audit-events/",
    ):
        assert api_as(None).get(url).status_code == 403
