import pytest

from catalogue.models import Membership, MembershipRole
from catalogue.services.memberships import MANAGE_DATASETS, membership_grant, membership_revoke


@pytest.mark.django_db
def test_curator_membership_grants_and_revokes_object_permission(cast):
    assert cast.olga_owner_curator.has_perm(MANAGE_DATASETS, cast.partner_a)
    assert not cast.olga_owner_curator.has_perm(MANAGE_DATASETS, cast.partner_b)
    assert not cast.rita_researcher.has_perm(MANAGE_DATASETS, cast.partner_b)

    membership = Membership.objects.get(user=cast.olga_owner_curator, role=MembershipRole.CURATOR)
    membership_revoke(membership=membership)
    olga = type(cast.olga_owner_curator).objects.get(pk=cast.olga_owner_curator.pk)  # fresh permission cache
    assert not olga.has_perm(MANAGE_DATASETS, cast.partner_a)


@pytest.mark.django_db
def test_researcher_role_does_not_grant_curation(cast):
    membership_grant(user=cast.rita_researcher, partner=cast.partner_a, role=MembershipRole.RESEARCHER)
    assert not cast.rita_researcher.has_perm(MANAGE_DATASETS, cast.partner_a)


@pytest.mark.django_db
def test_unknown_role_is_refused(cast):
    with pytest.raises(ValueError, match="Unknown role"):
        membership_grant(user=cast.rita_researcher, partner=cast.partner_a, role="boss")
