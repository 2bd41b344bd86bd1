"""Committees decide as committees: asking for changes is a vote counted under the committee's rule.

Only the committee's chair and secretary may send an item back without voting (a procedural power); an
ordinary member's "ask for changes" is one vote among the others.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance import services
from governance.models import AccessRequestItem, DacRole, ItemState
from tests.catalogue.factories import UserFactory
from tests.conftest import api_as
from tests.governance.factories import submitted_item
from tests.governance.test_pages import client_as, page

pytestmark = pytest.mark.django_db


def vote(user, item, decision, reason=""):
    """A vote through the API; ``reason`` is what the requester reads (what should change)."""
    return api_as(user).post(f"/api/v1/access-request-items/{item.pk}/votes/", {"decision": decision, "reason": reason})


def state_of(item: AccessRequestItem) -> str:
    item.refresh_from_db()
    return item.state


@pytest.fixture
def third_member(gov):
    """With nina, the majority rule needs two of three eligible members (rex is recused, sam does not vote)."""
    nina = UserFactory(username="nina_dac_member")
    services.dac_member_set(dac=gov.dac, user=nina, role=DacRole.MEMBER)
    return nina


def test_one_members_request_for_changes_does_not_send_the_item_back_under_majority(gov, third_member):
    item = submitted_item(gov)
    assert vote(gov.member, item, "changes", "Specify the age bands.").status_code == 201
    assert state_of(item) == ItemState.UNDER_REVIEW
    tally = api_as(gov.chair).get(f"/api/v1/access-request-items/{item.pk}/").json()["tally"]
    assert tally["changes"] == 1 and tally["outcome"] == "pending"
    html = page(client_as(gov.chair).get(reverse("governance:item_review", args=[item.pk])))
    assert "0 approvals, 0 rejections, 1 request for changes of 3 eligible members" in html
    assert "No decision yet." in html


def test_the_item_goes_back_when_the_rule_can_no_longer_approve_it(gov, third_member):
    item = submitted_item(gov)
    vote(gov.member, item, "changes", "Specify the age bands.")
    assert vote(third_member, item, "changes", "Name the ethics committee.").status_code == 201
    assert state_of(item) == ItemState.CHANGES_REQUESTED
    detail = api_as(gov.base.rita_researcher).get(f"/api/v1/access-requests/{item.request_id}/").json()
    assert detail["state"] == "changes_requested"
    comments = api_as(gov.base.rita_researcher).get(f"/api/v1/request-comments/?request={item.request_id}")
    assert comments.json()["results"][-1]["body"] == "Specify the age bands.\nName the ethics committee."


def test_an_approval_after_a_request_for_changes_can_still_carry_the_item(gov, third_member):
    item = submitted_item(gov)
    vote(gov.member, item, "changes", "Specify the age bands.")
    vote(gov.chair, item, "approve")
    assert vote(third_member, item, "approve").status_code == 201
    assert state_of(item) == ItemState.APPROVED


def test_an_ordinary_member_cannot_send_the_item_back_without_voting(gov, third_member):
    item = submitted_item(gov)
    response = api_as(gov.member).post(
        f"/api/v1/access-request-items/{item.pk}/request-changes/", {"comment": "Redo it."}
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Members ask for changes by voting; the committee's rule decides."
    assert state_of(item) == ItemState.UNDER_REVIEW


def test_the_chair_sends_the_item_back_without_voting(gov, third_member):
    item = submitted_item(gov)
    response = api_as(gov.chair).post(
        f"/api/v1/access-request-items/{item.pk}/request-changes/", {"comment": "Add the protocol."}
    )
    assert response.status_code == 200
    assert state_of(item) == ItemState.CHANGES_REQUESTED
