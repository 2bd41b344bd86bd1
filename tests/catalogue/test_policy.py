"""catalogue.policy over the whole cast: each predicate, each named user, and the list filter agreeing with it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from catalogue import policy
from catalogue.models import Dataset, DatasetStatus, MembershipRole, Partner
from catalogue.services.memberships import membership_grant, membership_revoke
from tests.catalogue.factories import DatasetFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "rita", "olga", "carl", "ada", "inactive_curator"]


@pytest.fixture
def users(cast):
    inactive = UserFactory(username="ines_inactive_curator", is_active=False)
    membership_grant(user=inactive, partner=cast.partner_a, role=MembershipRole.CURATOR)
    return {
        "anonymous": None,
        "rita": cast.rita_researcher,
        "olga": cast.olga_owner_curator,
        "carl": cast.carl_other_curator,
        "ada": cast.ada_admin,
        "inactive_curator": inactive,
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    zip(ROLES, [False, False, True, False, True, False], strict=True),
)
def test_can_curate_the_owning_partner(cast, users, role, expected):
    user = users[role]
    dataset = DatasetFactory(partner=cast.partner_a)
    assert bool(policy.can_curate(user, cast.partner_a)) is expected
    assert bool(policy.can_curate(user, dataset)) is expected
    assert (cast.partner_a in Partner.objects.filter(policy.partners_curated_q(user))) is (
        expected and user is not None and user.is_active
    )


def test_the_refusal_names_the_partner(cast):
    decision = policy.can_curate(cast.carl_other_curator, cast.partner_a)
    assert not decision
    assert decision.reason == "Only curators of Academic Hospital A can register or change its datasets."
    with pytest.raises(PermissionDenied, match="Only curators of Academic Hospital A"):
        policy.require(decision)


@pytest.mark.parametrize("status", [DatasetStatus.PUBLISHED, DatasetStatus.DRAFT, DatasetStatus.RETIRED])
@pytest.mark.parametrize("role", ROLES)
def test_can_view_dataset(cast, users, status, role):
    user = users[role]
    dataset = DatasetFactory(partner=cast.partner_a, status=status)
    expected = status == DatasetStatus.PUBLISHED or role in ("olga", "ada")
    assert bool(policy.can_view_dataset(user, dataset)) is expected
    listed = Dataset.objects.filter(policy.datasets_visible_q(user, include_retired=True))
    assert (dataset in listed) is expected
    default_list = Dataset.objects.filter(policy.datasets_visible_q(user))
    assert (dataset in default_list) is (expected and status != DatasetStatus.RETIRED)


def test_facts_are_loaded_once_per_user_object(cast, django_assert_num_queries):
    olga = cast.olga_owner_curator
    policy.forget(olga)
    with django_assert_num_queries(1):
        policy.can_curate(olga, cast.partner_a)
        policy.can_curate(olga, cast.partner_b)
        Partner.objects.filter(policy.partners_curated_q(olga)).query  # noqa: B018 (built, not run)


def test_a_membership_change_through_the_services_is_seen_at_once(cast):
    olga = cast.olga_owner_curator
    assert not policy.can_curate(olga, cast.partner_b)
    membership_grant(user=olga, partner=cast.partner_b, role=MembershipRole.CURATOR)
    assert policy.can_curate(olga, cast.partner_b)
    membership_revoke(membership=olga.memberships.get(partner=cast.partner_b))
    assert not policy.can_curate(olga, cast.partner_b)
