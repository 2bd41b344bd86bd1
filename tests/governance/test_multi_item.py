"""A request for datasets of two holders: each item is decided by its own DAC, independently; the request's
state is derived from its items; each holder has its own agreement."""

from __future__ import annotations

import pytest

from catalogue.models import DuoTerm
from governance import services, workflow
from governance.models import DacRole, DataSharingAgreement, DecisionRule, ItemState
from governance.selectors import request_state, state_from_item_states
from tests.catalogue.factories import ConsentFactory, DatasetFactory, PartnerFactory, UserFactory
from tests.conftest import api_as
from tests.governance.factories import draft_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_holders(gov):
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
    item_a = access_request.items.get(dataset=gov.dataset)
    item_c = access_request.items.get(dataset=dataset_c)
    return access_request, item_a, item_c, cleo


def test_each_item_goes_to_its_own_dac(gov, two_holders):
    _, item_a, item_c, cleo = two_holders
    assert item_a.dac == gov.dac
    assert item_c.dac.name == "CLC DAC"
    queue = api_as(cleo).get("/api/v1/access-request-items/?awaiting_my_vote=true").json()["results"]
    assert [entry["id"] for entry in queue] == [item_c.pk]
    assert (
        api_as(cleo).post(f"/api/v1/access-request-items/{item_a.pk}/votes/", {"decision": "approve"}).status_code
        == 403
    )


def test_items_are_decided_independently_and_the_request_state_is_derived(gov, two_holders):
    access_request, item_a, item_c, cleo = two_holders
    workflow.vote_cast(item=item_c, member=cleo, decision="approve")  # one approval suffices at CLC
    item_c.refresh_from_db()
    assert item_c.state == ItemState.APPROVED
    assert request_state(access_request) == "under_review"  # AHA has not decided yet
    workflow.vote_cast(item=item_a, member=gov.chair, decision="reject", reason="Out of scope.")
    assert request_state(access_request) == "approved"
    assert DataSharingAgreement.objects.filter(request=access_request).count() == 1  # only CLC's


def test_an_item_approved_after_its_agreement_was_signed_moves_on_by_itself(gov):
    second = DatasetFactory(partner=gov.base.partner_a, title="AHA MDS cohort", slug="aha-mds")
    ConsentFactory(dataset=second, permission=DuoTerm.objects.get(short_code="HMB"))
    access_request = draft_request(
        requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[gov.dataset, second]
    )
    workflow.submit(access_request=access_request, actor=gov.base.rita_researcher)
    first_item, second_item = access_request.items.order_by("id")
    for member in (gov.chair, gov.member):
        workflow.vote_cast(item=first_item, member=member, decision="approve")
    agreement = DataSharingAgreement.objects.get(request=access_request)
    workflow.agreement_sign(agreement=agreement, actor=gov.base.rita_researcher, side="requester")
    workflow.agreement_sign(agreement=agreement, actor=gov.secretary, side="holder")
    for member in (gov.chair, gov.member):
        workflow.vote_cast(item=second_item, member=member, decision="approve")
    second_item.refresh_from_db()
    assert second_item.state == ItemState.AGREEMENT_SIGNED


@pytest.mark.parametrize(
    ("states", "overall"),
    [
        ([], "draft"),
        (["draft", "draft"], "draft"),
        (["under_review", "approved"], "under_review"),
        (["changes_requested", "under_review"], "changes_requested"),
        (["approved", "rejected"], "approved"),
        (["released", "withdrawn"], "released"),
        (["rejected", "rejected"], "rejected"),
        (["rejected", "withdrawn"], "closed"),
        (["expired", "revoked", "released"], "released"),
    ],
)
def test_request_state_derivation(states, overall):
    assert state_from_item_states(states) == overall
