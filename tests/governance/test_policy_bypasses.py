"""The read-side leaks and the separation-of-duties bypasses of issue 9, each through the API (and the page
where there is one). Each of these passed on main before governance.policy; see the issue's list."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from audit.models import AuditEvent
from catalogue.models import Distribution, DistributionKind, DuoTerm, MembershipRole, Variable
from catalogue.services.memberships import membership_grant
from governance import services, workflow
from governance.models import AccessGrant, DacRole, DataSharingAgreement, DecisionRule, ItemState
from governance.services import ItemSpec
from tests.catalogue.factories import ConsentFactory, DatasetFactory, PartnerFactory, UserFactory
from tests.conftest import api_as
from tests.governance.factories import approved_item, draft_request, submitted_item, valid_use

pytestmark = pytest.mark.django_db


def vote_events(response) -> list[dict]:
    return [event for event in response.json()["results"] if event["action"] == "vote.cast"]


def disclosed_decisions(response) -> list[str | None]:
    """What the vote events of an audit-trail page say about each decision (None: not disclosed)."""
    return [event["after"].get("decision") for event in vote_events(response)]


def sign(user, item, side):
    agreement = DataSharingAgreement.objects.get(request=item.request, holder=item.dataset.partner)
    return api_as(user).post(f"/api/v1/agreements/{agreement.pk}/sign/", {"side": side})


def release(user, item):
    return api_as(user).post(f"/api/v1/access-request-items/{item.pk}/release/")


# --- votes and committee comments through the audit trail -----------------------------------------------


def test_the_requester_does_not_read_votes_through_the_audit_trail(gov):
    item = submitted_item(gov)
    workflow.vote_cast(
        item=item, member=gov.chair, decision="reject", comment="Weak statistical plan.", reason="Out of scope."
    )
    rita = api_as(gov.base.rita_researcher)
    assert rita.get(f"/api/v1/access-request-items/{item.pk}/votes/").status_code == 403
    response = rita.get(f"/api/v1/audit-events/?request={item.request_id}")
    assert response.status_code == 200
    assert disclosed_decisions(response) == [None]  # that a vote was cast, not how
    assert "Weak statistical plan." not in response.content.decode()
    one = rita.get(f"/api/v1/audit-events/{vote_events(response)[0]['id']}/").json()
    assert "decision" not in one["after"] and "comment" not in one["after"]
    # The committee still reads them.
    dana = api_as(gov.chair).get(f"/api/v1/audit-events/?request={item.request_id}")
    assert disclosed_decisions(dana) == ["reject"]


def test_the_request_page_timeline_shows_no_vote_to_the_requester(gov, client):
    item = submitted_item(gov)
    workflow.vote_cast(
        item=item, member=gov.chair, decision="reject", comment="Weak statistical plan.", reason="Out of scope."
    )
    client.force_login(gov.base.rita_researcher)
    page = client.get(f"/requests/{item.request_id}/").content.decode()
    assert "Weak statistical plan." not in page
    assert "voted to reject" not in page
    assert "A committee member voted" in page


def test_a_recused_member_reads_neither_votes_nor_committee_comments(gov):
    item = submitted_item(gov)
    workflow.vote_cast(item=item, member=gov.chair, decision="approve")
    services.comment_add(access_request=item.request, author=gov.chair, body="Internal: fine by me.", dac_only=True)
    rex = api_as(gov.recused_member)
    assert rex.get(f"/api/v1/access-request-items/{item.pk}/votes/").status_code == 403
    assert disclosed_decisions(rex.get(f"/api/v1/audit-events/?request={item.request_id}")) == [None]
    comments = rex.get(f"/api/v1/request-comments/?request={item.request_id}").json()["results"]
    assert comments == []
    item_view = rex.get(f"/api/v1/access-request-items/{item.pk}/").json()
    assert item_view["tally"] is None
    assert item_view["my_recusal"]["recused"] is True
    refused = rex.post(
        "/api/v1/request-comments/", {"request": item.request_id, "body": "Between us…", "dac_only": True}
    )
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        "You are recused from this request: You are affiliated with the requesting partner UNB."
    )


def test_the_recused_members_review_page_shows_no_votes_or_committee_comments(gov, client):
    item = submitted_item(gov)
    workflow.vote_cast(item=item, member=gov.chair, decision="approve", comment="Solid plan.")
    services.comment_add(access_request=item.request, author=gov.chair, body="Internal: fine by me.", dac_only=True)
    client.force_login(gov.recused_member)
    page = client.get(f"/review/items/{item.pk}/").content.decode()
    assert "Internal: fine by me." not in page
    assert "Solid plan." not in page


@pytest.fixture
def second_committee(gov):
    """Partner C with its own committee (carmen its chair) and dataset, requested together with gov.dataset."""
    partner_c = PartnerFactory(name="Clinic C", short_name="CLC", slug="clc", country="IT")
    carmen = UserFactory(username="carmen_other_dac_chair")
    dac_c = services.dac_create(name="CLC DAC", partner=partner_c, decision_rule=DecisionRule.ANY_ONE)
    services.dac_member_set(dac=dac_c, user=carmen, role=DacRole.CHAIR)
    dataset_c = DatasetFactory(partner=partner_c, title="CLC myeloma cohort", slug="clc-mm")
    ConsentFactory(dataset=dataset_c, form_version="v1", permission=DuoTerm.objects.get(short_code="HMB"))
    access_request = draft_request(
        requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[gov.dataset, dataset_c]
    )
    workflow.submit(access_request=access_request, actor=gov.base.rita_researcher)
    return access_request, carmen


def test_one_committee_does_not_read_another_committees_comments(gov, second_committee):
    access_request, carmen = second_committee
    item_c = access_request.items.get(dataset__slug="clc-mm")
    url = "/api/v1/request-comments/"
    on_item = {"request": access_request.pk, "item": item_c.pk, "body": "CLC only: check the PI.", "dac_only": True}
    assert api_as(carmen).post(url, on_item).status_code == 201
    whole = {"request": access_request.pk, "body": "CLC only: slow down.", "dac_only": True}
    assert api_as(carmen).post(url, whole).status_code == 201
    assert api_as(gov.chair).post(url, {**whole, "body": "AHA only."}).status_code == 201
    dana_reads = [c["body"] for c in api_as(gov.chair).get(f"{url}?request={access_request.pk}").json()["results"]]
    carmen_reads = [c["body"] for c in api_as(carmen).get(f"{url}?request={access_request.pk}").json()["results"]]
    assert dana_reads == ["AHA only."]
    assert carmen_reads == ["CLC only: check the PI.", "CLC only: slow down."]


def test_one_committee_does_not_read_another_committees_votes(gov, second_committee):
    access_request, carmen = second_committee
    item_c = access_request.items.get(dataset__slug="clc-mm")
    workflow.vote_cast(item=item_c, member=carmen, decision="approve", comment="CLC says yes.")
    events = api_as(gov.chair).get(f"/api/v1/audit-events/?request={access_request.pk}")
    assert disclosed_decisions(events) == [None]
    assert "CLC says yes." not in events.content.decode()
    assert api_as(gov.chair).get(f"/api/v1/access-request-items/{item_c.pk}/votes/").status_code == 403


# --- separation of duties -------------------------------------------------------------------------------


def test_a_requester_who_is_the_holders_dac_secretary_cannot_sign_for_the_holder_or_release(gov):
    services.dac_member_set(dac=gov.dac, user=gov.base.rita_researcher, role=DacRole.SECRETARY)
    item = approved_item(gov)
    rita = gov.base.rita_researcher
    assert sign(rita, item, "requester").status_code == 200
    refused = sign(rita, item, "holder")
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        "You cannot sign this agreement on behalf of AHA. "
        "You are on the requesting side: You are the requester of this request."
    )
    assert sign(gov.base.olga_owner_curator, item, "holder").status_code == 200
    refused = release(rita, item)
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith(
        "Only the data holder's curators or the DAC's chair or secretary can release data. "
        "You are on the requesting side"
    )
    assert not AccessGrant.objects.exists()
    assert release(gov.base.olga_owner_curator, item).status_code == 201


def test_a_researcher_who_curates_the_holder_cannot_sign_both_sides_or_release(gov):
    hugo = UserFactory(username="hugo_researcher_and_holder_curator")
    membership_grant(user=hugo, partner=gov.base.partner_b, role=MembershipRole.RESEARCHER)
    membership_grant(user=hugo, partner=gov.base.partner_a, role=MembershipRole.CURATOR)
    access_request = draft_request(requester=hugo, partner=gov.base.partner_b, datasets=[gov.dataset])
    workflow.submit(access_request=access_request, actor=hugo)
    item = access_request.items.get()
    workflow.vote_cast(item=item, member=gov.chair, decision="approve")
    workflow.vote_cast(item=item, member=gov.member, decision="approve")
    assert sign(hugo, item, "requester").status_code == 200
    assert sign(hugo, item, "holder").status_code == 403
    assert sign(gov.base.olga_owner_curator, item, "holder").status_code == 200
    assert release(hugo, item).status_code == 403
    item.refresh_from_db()
    assert item.state == ItemState.AGREEMENT_SIGNED


def test_a_superuser_cannot_complete_their_own_request_alone(gov):
    ada = gov.base.ada_admin
    membership_grant(user=ada, partner=gov.base.partner_b, role=MembershipRole.RESEARCHER)
    access_request = draft_request(requester=ada, partner=gov.base.partner_b, datasets=[gov.dataset])
    workflow.submit(access_request=access_request, actor=ada)
    item = access_request.items.get()
    assert api_as(ada).post(f"/api/v1/access-request-items/{item.pk}/votes/", {"decision": "approve"}).status_code
    assert item.votes.count() == 0
    workflow.vote_cast(item=item, member=gov.chair, decision="approve")
    workflow.vote_cast(item=item, member=gov.member, decision="approve")
    assert sign(ada, item, "requester").status_code == 200
    assert sign(ada, item, "holder").status_code == 403
    assert release(ada, item).status_code == 403


def test_a_superuser_does_not_sign_for_a_partner_they_do_not_curate(gov):
    item = approved_item(gov)
    assert sign(gov.base.ada_admin, item, "requester").status_code == 403
    assert sign(gov.base.ada_admin, item, "holder").status_code == 403


@pytest.fixture
def recused_chair(gov):
    """dana, the chair, is also a researcher at the requesting partner UNB."""
    membership_grant(user=gov.chair, partner=gov.base.partner_b, role=MembershipRole.RESEARCHER)
    return gov.chair


def test_a_recused_chair_cannot_ask_for_changes(gov, recused_chair):
    item = submitted_item(gov)
    response = api_as(recused_chair).post(
        f"/api/v1/access-request-items/{item.pk}/request-changes/", {"comment": "Add a power calculation."}
    )
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "You are recused from this request: You are affiliated with the requesting partner UNB."
    )
    item.refresh_from_db()
    assert item.state == ItemState.UNDER_REVIEW


def test_a_recused_chair_cannot_sign_for_the_holder_or_release(gov, recused_chair):
    item = submitted_item(gov)
    workflow.vote_cast(item=item, member=gov.member, decision="approve")  # dana and rex are recused
    item.refresh_from_db()
    assert item.state == ItemState.APPROVED
    assert sign(gov.base.rita_researcher, item, "requester").status_code == 200
    assert sign(recused_chair, item, "holder").status_code == 403
    assert sign(gov.base.olga_owner_curator, item, "holder").status_code == 200
    assert release(recused_chair, item).status_code == 403


def test_the_recused_chairs_pages_offer_no_action(gov, recused_chair, client):
    item = submitted_item(gov)
    client.force_login(recused_chair)
    review = client.get(f"/review/items/{item.pk}/").content.decode()
    assert "You are recused from this request" in review
    assert "Send back to the requester" not in review and "Record my decision" not in review
    client.post(f"/review/items/{item.pk}/", {"vote-decision": "send_back", "vote-reason": "Add a power calculation."})
    item.refresh_from_db()
    assert item.state == ItemState.UNDER_REVIEW


# --- what the serializer and the download endpoint disclose ---------------------------------------------


def test_the_request_serializer_does_not_name_a_drafts_variables(gov):
    draft = DatasetFactory(partner=gov.base.partner_a, title="Unpublished cohort", slug="unpublished", status="draft")
    secret = Variable.objects.create(dataset=draft, name="secret_transplant_flag", label="Secret")
    body = {
        **valid_use(),
        "partner": gov.base.partner_b.pk,
        "items": [{"dataset": gov.dataset.pk, "variables": [secret.pk]}],
    }
    response = api_as(gov.base.rita_researcher).post("/api/v1/access-requests/", body, format="json")
    assert response.status_code == 400
    assert "secret_transplant_flag" not in response.content.decode()
    missing = {**body, "items": [{"dataset": gov.dataset.pk, "variables": [secret.pk + 1000]}]}
    other = api_as(gov.base.rita_researcher).post("/api/v1/access-requests/", missing, format="json")
    assert str(other.json()).replace(str(secret.pk + 1000), "?") == str(response.json()).replace(str(secret.pk), "?")


def test_a_drafts_distribution_answers_like_a_missing_one(gov, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    draft = DatasetFactory(partner=gov.base.partner_a, title="Unpublished cohort", slug="unpublished", status="draft")
    distribution = Distribution.objects.create(
        dataset=draft, title="Extract", kind=DistributionKind.FILE, file=ContentFile(b"a\n", name="x.csv")
    )
    rita = api_as(gov.base.rita_researcher)
    hidden = rita.get(f"/api/v1/downloads/{distribution.pk}/")
    missing = rita.get(f"/api/v1/downloads/{distribution.pk + 1000}/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert not AuditEvent.objects.filter(action="download.refused").exists()


# --- bad filters ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/api/v1/access-request-items/", "/api/v1/request-comments/", "/api/v1/agreements/", "/api/v1/audit-events/"],
)
def test_a_non_numeric_request_filter_is_a_400_with_a_field_message(gov, url):
    response = api_as(gov.base.rita_researcher).get(f"{url}?request=abc")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"] == {"request": ["A valid integer is required."]}


def test_the_item_spec_still_accepts_published_variables(gov):
    variable = Variable.objects.create(dataset=gov.dataset, name="age_at_diagnosis", label="Age")
    access_request = services.request_create(
        requester=gov.base.rita_researcher,
        partner=gov.base.partner_b,
        items=[ItemSpec(dataset=gov.dataset, variables=[variable])],
        **valid_use(),
    )
    assert list(access_request.items.get().variables.all()) == [variable]


def test_the_request_page_offers_committee_only_comments_to_the_unrecused_committee_only(gov, client):
    item = submitted_item(gov)
    url = f"/requests/{item.request_id}/"
    client.force_login(gov.chair)
    assert "Visible to the committee only" in client.get(url).content.decode()
    client.force_login(gov.recused_member)
    assert "Visible to the committee only" not in client.get(url).content.decode()
