"""Memberships: who holds which role at which partner.

``Membership`` rows are the source of truth the policy reads (catalogue.policy). The curator role is
also mirrored into the guardian object permission ``catalogue.manage_datasets`` on the partner, a
derived cache kept in sync here for the Django admin and ``user.has_perm`` callers; no rule reads it.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from catalogue import policy
from catalogue.models import Membership, MembershipRole, Partner
from catalogue.signals import membership_revoked

MANAGE_DATASETS = "catalogue.manage_datasets"


@transaction.atomic
def membership_grant(*, user: AbstractBaseUser, partner: Partner, role: str) -> Membership:
    """Give ``user`` ``role`` at ``partner`` (idempotent); curators get the partner's ``manage_datasets`` permission."""
    if role not in MembershipRole.values:
        raise ValueError(f"Unknown role {role!r}.")
    membership, _ = Membership.objects.get_or_create(user=user, partner=partner, role=role)
    sync_partner_permissions(user=user, partner=partner)
    policy.forget(user)
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership, actor: AbstractBaseUser | None = None) -> None:
    """Remove the membership, re-sync the guardian permissions and send ``catalogue.signals.membership_revoked``
    inside the transaction (governance revokes the access grants the user held through it)."""
    user, partner, role = membership.user, membership.partner, membership.role
    membership.delete()
    sync_partner_permissions(user=user, partner=partner)
    policy.forget(user)
    membership_revoked.send(sender=Membership, user=user, partner=partner, role=role, actor=actor)


def sync_partner_permissions(*, user: AbstractBaseUser, partner: Partner) -> None:
    """Make the guardian object permissions of ``user`` on ``partner`` match their memberships."""
    is_curator = Membership.objects.filter(user=user, partner=partner, role=MembershipRole.CURATOR).exists()
    if is_curator:
        assign_perm(MANAGE_DATASETS, user, partner)
    else:
        remove_perm(MANAGE_DATASETS, user, partner)
