"""governance.policy over the full role matrix: every predicate, every named user, the expected decision;
and every list filter selecting exactly what its predicate allows.

The world: rita (researcher at UNB) requested AHA's dataset; the item is released to her. The cast:
anonymous; rita the requester; tina her teammate (researcher at UNB); carl a curator of UNB (the
requesting partner); olga the holder's curator (AHA); paul a researcher at AHA (outsider); dana the
chair, mike a member, rex a member recused as a researcher at UNB, sam the secretary of AHA's DAC;
carmen the chair of another committee; ada the administrator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from catalogue.models import Distribution, DistributionKind, MembershipRole
from catalogue.services.memberships import membership_grant
from governance import policy, services
from governance.models import (
    AccessGrant,
    AccessRequest,
    AccessRequestItem,
    DacRole,
    DataSharingAgreement,
    Vote,
)
from tests.catalogue.factories import PartnerFactory, UserFactory
from tests.governance.factories import draft_request, released_item, submitted_item

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "rita", "tina", "carl", "olga", "paul", "dana", "mike", "rex", "sam", "carmen", "ada"]


@dataclass
class World:
    item: AccessRequestItem
    users: dict[str, Any]

    @property
    def request(self) -> AccessRequest:
        return self.item.request

    @property
    def agreement(self) -> DataSharingAgreement:
        return DataSharingAgreement.objects.select_related("request", "holder").get(request=self.item.request)

    @property
    def grant(self) -> AccessGrant:
        return AccessGrant.objects.select_related("item__request", "item__dataset").get(item=self.item)


def _cast_users(gov) -> dict[str, Any]:
    tina = UserFactory(username="tina_team_researcher")
    membership_grant(user=tina, partner=gov.base.partner_b, role=MembershipRole.RESEARCHER)
    paul = UserFactory(username="paul_outsider_researcher")
    membership_grant(user=paul, partner=gov.base.partner_a, role=MembershipRole.RESEARCHER)
    carmen = UserFactory(username="carmen_other_dac_chair")
    other_dac = services.dac_create(name="Other DAC", partner=PartnerFactory(short_name="OTH", slug="oth"))
    services.dac_member_set(dac=other_dac, user=carmen, role=DacRole.CHAIR)
    return {
        "anonymous": None,
        "rita": gov.base.rita_researcher,
        "tina": tina,
        "carl": gov.base.carl_other_curator,
        "olga": gov.base.olga_owner_curator,
        "paul": paul,
        "dana": gov.chair,
        "mike": gov.member,
        "rex": gov.recused_member,
        "sam": gov.secretary,
        "carmen": carmen,
        "ada": gov.base.ada_admin,
    }


@pytest.fixture
def world(gov) -> World:
    users = _cast_users(gov)
    item = released_item(gov)
    return World(AccessRequestItem.objects.select_related("request__partner", "dataset", "dac").get(pk=item.pk), users)


def fresh(user: Any) -> Any:
    """The same user as a new object, so no cached facts are reused between roles."""
    return None if user is None else type(user).objects.get(pk=user.pk)


def matrix(*allowed: str) -> list[tuple[str, bool]]:
    unknown = set(allowed) - set(ROLES)
    assert not unknown, unknown
    return [(role, role in allowed) for role in ROLES]


def check(decision: policy.Decision, expected: bool) -> None:
    assert bool(decision) is expected, decision.reason
    assert decision.reason  # every decision says why, either way


VIEWERS = ("rita", "tina", "olga", "dana", "mike", "rex", "sam", "ada")


@pytest.mark.parametrize(("role", "expected"), matrix(*VIEWERS))
def test_can_view_request(world, role, expected):
    user = fresh(world.users[role])
    check(policy.can_view_request(user, world.request), expected)
    assert AccessRequest.objects.filter(policy.requests_visible_q(user), pk=world.request.pk).exists() is expected


@pytest.mark.parametrize(("role", "expected"), matrix(*VIEWERS))
def test_can_view_item(world, role, expected):
    user = fresh(world.users[role])
    check(policy.can_view_item(user, world.item), expected)
    assert AccessRequestItem.objects.filter(policy.items_visible_q(user), pk=world.item.pk).exists() is expected


@pytest.mark.parametrize(("role", "expected"), matrix("rita", "tina", "rex", "ada"))
def test_a_draft_item_is_seen_by_the_requesting_side_only(gov, role, expected):
    users = _cast_users(gov)
    access_request = draft_request(
        requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[gov.dataset]
    )
    item = access_request.items.get()
    user = fresh(users[role])
    check(policy.can_view_item(user, item), expected)
    assert AccessRequestItem.objects.filter(policy.items_visible_q(user), pk=item.pk).exists() is expected


@pytest.mark.parametrize(("role", "expected"), matrix("rita", "tina", "dana", "mike", "rex", "sam", "olga", "ada"))
def test_the_holder_sees_a_request_once_submitted(gov, role, expected):
    """The holder's curators follow a request for their data from submission ("Requests for my data")."""
    users = _cast_users(gov)
    item = submitted_item(gov)
    user = fresh(users[role])
    check(policy.can_view_request(user, item.request), expected)
    assert AccessRequest.objects.filter(policy.requests_visible_q(user), pk=item.request_id).exists() is expected


@pytest.mark.parametrize(
    "predicate", [policy.can_edit_request, policy.can_submit, policy.can_withdraw], ids=lambda p: p.__name__
)
@pytest.mark.parametrize(("role", "expected"), matrix("rita"))
def test_only_the_requester_edits_submits_and_withdraws(world, predicate, role, expected):
    check(predicate(fresh(world.users[role]), world.request), expected)


@pytest.mark.parametrize(("role", "expected"), matrix("rita", "tina", "rex"))
def test_can_request_for_the_partner(world, gov, role, expected):
    check(policy.can_request_for(fresh(world.users[role]), gov.base.partner_b), expected)


@pytest.mark.parametrize(("role", "expected"), matrix("rita", "tina", "carl", "rex"))
def test_is_recused(world, role, expected):
    user = fresh(world.users[role])
    assert bool(policy.is_recused(user, world.item)) is expected
    assert bool(policy.is_recused(user, world.request)) is expected


@pytest.mark.parametrize(("role", "expected"), matrix("dana", "mike"))
def test_can_vote(world, role, expected):
    user = fresh(world.users[role])
    check(policy.can_vote(user, world.item), expected)
    assert AccessRequestItem.objects.filter(policy.items_votable_q(user), pk=world.item.pk).exists() is expected


def test_the_refusals_to_vote_say_why(world):
    assert policy.can_vote(fresh(world.users["sam"]), world.item).reason == "DAC secretaries do not vote."
    assert policy.can_vote(fresh(world.users["rex"]), world.item).reason == (
        "You are recused from this request: You are affiliated with the requesting partner UNB."
    )
    assert policy.can_vote(fresh(world.users["carmen"]), world.item).reason == policy.NOT_A_MEMBER


@pytest.mark.parametrize(("role", "expected"), matrix("dana", "sam"))
def test_can_request_changes(world, role, expected):
    check(policy.can_request_changes(fresh(world.users[role]), world.item), expected)


@pytest.mark.parametrize(("role", "expected"), matrix("dana", "mike", "sam", "ada"))
def test_can_read_votes(world, role, expected):
    check(policy.can_read_votes(fresh(world.users[role]), world.item), expected)


@pytest.mark.parametrize(("role", "expected"), matrix("dana", "mike", "sam", "ada"))
def test_can_read_committee_comments(world, role, expected):
    user = fresh(world.users[role])
    check(policy.can_read_committee_comments(user, world.request), expected)
    check(policy.can_comment(user, world.request, dac_only=True), expected)


@pytest.mark.parametrize(("role", "expected"), matrix(*VIEWERS))
def test_can_comment_publicly(world, role, expected):
    check(policy.can_comment(fresh(world.users[role]), world.request), expected)


@pytest.mark.parametrize(("role", "expected"), matrix("rita", "carl"))
def test_can_sign_the_requester_side(world, role, expected):
    check(policy.can_sign(fresh(world.users[role]), world.agreement, "requester"), expected)


@pytest.mark.parametrize(("role", "expected"), matrix("olga", "dana", "sam"))
def test_can_sign_the_holder_side(world, role, expected):
    check(policy.can_sign(fresh(world.users[role]), world.agreement, "holder"), expected)


@pytest.mark.parametrize(("role", "expected"), matrix("olga", "dana", "sam", "ada"))
def test_can_administer_and_release(world, role, expected):
    user = fresh(world.users[role])
    check(policy.can_administer(user, world.item), expected)
    check(policy.can_release(user, world.item), expected)
    administered = AccessRequestItem.objects.filter(policy.items_administered_q(user), pk=world.item.pk)
    assert administered.exists() is expected


@pytest.mark.parametrize(("role", "expected"), matrix("olga", "dana", "sam", "ada"))
def test_can_revoke(world, role, expected):
    check(policy.can_revoke(fresh(world.users[role]), world.grant), expected)


@pytest.mark.parametrize(("role", "expected"), matrix("rita", "olga", "dana", "mike", "rex", "sam", "ada"))
def test_grants_visible(world, role, expected):
    user = fresh(world.users[role])
    assert AccessGrant.objects.filter(policy.grants_visible_q(user), pk=world.grant.pk).exists() is expected


@pytest.mark.parametrize(("role", "expected"), matrix("rita"))
def test_can_download(world, role, expected):
    user = fresh(world.users[role])
    distribution = Distribution(dataset=world.item.dataset, title="Extract", kind=DistributionKind.FILE)
    grant = world.grant if user is not None and world.grant.grantee_id == user.pk else None
    check(policy.can_download(user, distribution, grant), expected)
    # Someone else's grant never opens the file.
    check(policy.can_download(user, distribution, world.grant), expected)


@pytest.mark.parametrize(("role", "expected"), matrix("rita", "dana", "mike", "rex", "sam", "ada"))
def test_can_read_audit(world, role, expected):
    check(policy.can_read_audit(fresh(world.users[role]), world.request), expected)


@pytest.mark.parametrize(("role", "expected"), matrix("dana", "mike", "sam", "ada"))
def test_votes_readable_filter_agrees_with_can_read_votes(world, role, expected):
    votes = Vote.objects.filter(policy.votes_readable_q(fresh(world.users[role])), item=world.item)
    assert votes.exists() is expected


def test_facts_cost_two_queries_per_user_object(world, django_assert_num_queries):
    dana = fresh(world.users["dana"])
    with django_assert_num_queries(2):
        for _ in range(3):
            policy.can_vote(dana, world.item)
            policy.can_read_votes(dana, world.item)
            policy.can_request_changes(dana, world.item)


def test_an_inactive_user_has_no_rights(world):
    dana = fresh(world.users["dana"])
    dana.is_active = False
    assert not policy.can_vote(dana, world.item)
    assert not policy.can_view_request(dana, world.request)
