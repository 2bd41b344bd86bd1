"""A committee that cannot reach its rule receives nothing: submission and publication are refused with the
reason; an item whose committee loses its voters is escalated to the alliance administrators."""

from __future__ import annotations

import pytest
from django.utils import translation

from catalogue.models import DuoTerm
from catalogue.services.memberships import membership_grant
from governance import services
from governance.models import DacMembership, DacRole, DecisionRule, ItemState, Notification
from tests.catalogue.factories import ConsentFactory, DatasetFactory, DraftDatasetFactory, PartnerFactory, UserFactory
from tests.conftest import api_as
from tests.governance.factories import draft_request, submitted_item

pytestmark = pytest.mark.django_db


def test_submitting_to_a_committee_with_too_few_eligible_voters_is_refused(gov):
    gov.dac.decision_rule, gov.dac.quorum_k = DecisionRule.QUORUM, 3  # dana and mike eligible; rex is recused
    gov.dac.save()
    access_request = draft_request(
        requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[gov.dataset]
    )
    response = api_as(gov.base.rita_researcher).post(f"/api/v1/access-requests/{access_request.pk}/submit/")
    assert response.status_code == 400
    assert response.json()["reasons"] == [
        "The data access committee “AHA Data Access Committee” cannot decide on “AHA AML cohort”: it has 2 eligible "
        "voters after recusal and its rule (quorum of k approvals and no rejection, k = 3) needs at least 3 eligible "
        "voters."
    ]
    assert access_request.items.get().state == ItemState.DRAFT


def test_submitting_to_a_committee_without_members_is_refused(gov):
    partner_c = PartnerFactory(name="Clinic C", short_name="CLC", slug="clc")
    services.dac_create(name="CLC DAC", partner=partner_c)
    dataset_c = DatasetFactory(partner=partner_c, title="CLC registry", slug="clc-reg")
    ConsentFactory(dataset=dataset_c, permission=DuoTerm.objects.get(short_code="GRU"))
    access_request = draft_request(requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[dataset_c])
    response = api_as(gov.base.rita_researcher).post(f"/api/v1/access-requests/{access_request.pk}/submit/")
    assert response.status_code == 400
    assert response.json()["reasons"] == [
        "The data access committee “CLC DAC” cannot decide on “CLC registry”: it has 0 eligible voters after "
        "recusal and its rule (simple majority of eligible members) needs at least 1 eligible voter."
    ]


def test_publishing_a_dataset_no_able_committee_governs_is_refused(gov):
    partner_c = PartnerFactory(name="Clinic C", short_name="CLC", slug="clc")
    curator = UserFactory(username="clc_curator")
    membership_grant(user=curator, partner=partner_c, role="curator")
    draft = DraftDatasetFactory(partner=partner_c, slug="clc-draft")
    ConsentFactory(dataset=draft)
    response = api_as(curator).post("/api/v1/datasets/clc-draft/publish/")
    assert response.status_code == 400
    assert response.json()["fields"]["publication"] == [
        "No data access committee governs this dataset: ask the alliance administrators to set one up."
    ]
    dac = services.dac_create(name="CLC DAC", partner=partner_c)
    response = api_as(curator).post("/api/v1/datasets/clc-draft/publish/")
    assert response.json()["fields"]["publication"] == [
        "The data access committee “CLC DAC” cannot decide on this dataset: it has 0 eligible voters and its rule "
        "(simple majority of eligible members) needs at least 1 eligible voter."
    ]
    services.dac_member_set(dac=dac, user=UserFactory(username="clc_chair"), role=DacRole.CHAIR)
    assert api_as(curator).post("/api/v1/datasets/clc-draft/publish/").status_code == 200


def test_a_committee_losing_its_voters_is_escalated_to_the_administrators(gov):
    item = submitted_item(gov)
    gov.dac.decision_rule, gov.dac.quorum_k = DecisionRule.QUORUM, 2
    gov.dac.save()
    services.dac_member_remove(membership=DacMembership.objects.get(dac=gov.dac, user=gov.member))
    [notice] = Notification.objects.filter(user=gov.base.ada_admin, verb="committee_cannot_decide")
    assert notice.access_request_id == item.request_id
    assert notice.message.startswith("Escalation: access request “Outcome of older AML patients” is stuck:")
    assert "has 1 eligible voter for “AHA AML cohort” after recusal, and its rule needs at least 2." in notice.message
    # Worded when read, in the reader's language: the counts are stored, not an English sentence.
    with translation.override("de"):
        assert "1 stimmberechtigtes Mitglied" in notice.text
    assert not Notification.objects.filter(user=gov.chair, verb="committee_cannot_decide").exists()


def test_a_committee_that_can_still_decide_is_not_escalated(gov):
    submitted_item(gov)
    services.dac_member_remove(membership=DacMembership.objects.get(dac=gov.dac, user=gov.member))
    assert not Notification.objects.filter(verb="committee_cannot_decide").exists()


def test_a_voter_made_secretary_is_escalated_like_a_member_who_left(gov):
    submitted_item(gov)
    gov.dac.decision_rule, gov.dac.quorum_k = DecisionRule.QUORUM, 2
    gov.dac.save()
    services.dac_member_set(dac=gov.dac, user=gov.member, role=DacRole.SECRETARY)
    assert Notification.objects.filter(user=gov.base.ada_admin, verb="committee_cannot_decide").count() == 1
