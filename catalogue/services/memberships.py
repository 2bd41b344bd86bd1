"""Memberships: who holds which role at which partner.

``Membership`` rows are the source of truth the policy reads (catalogue.policy). The curator role is
also mirrored into the guardian object permission ``catalogue.manage_datasets`` on the partner, a
derived cache kept in sync here for the Django admin and ``user.has_perm`` callers; no rule reads it.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from audit.services import audit_record
from catalogue import policy
from catalogue.models import Membership, MembershipRole, Partner
from catalogue.signals import membership_revoked

MANAGE_DATASETS = "catalogue.manage_datasets"


@transaction.atomic
def membership_grant(
    *, user: AbstractBaseUser, partner: Partner, role: str, actor: AbstractBaseUser | None = None
) -> Membership:
    """Give ``user`` ``role`` at ``partner`` (idempotent); curators get the partner's ``manage_datasets`` permission.

    A new membership is a permission change: audited (``membership.grant``) with ``actor``, or as a
    system event when ``actor`` is None (seeding, commands).
    """
    if role not in MembershipRole.values:
        raise ValueError(f"Unknown role {role!r}.")
    membership, created = Membership.objects.get_or_create(user=user, partner=partner, role=role)
    sync_partner_permissions(user=user, partner=partner)
    policy.forget(user)
    if created:
        audit_record(
            actor=actor,
            action="membership.grant",
            obj=membership,
            after={"user_id": user.pk, "username": user.get_username(), "partner_id": partner.pk, "role": role},
        )
    return membership


@transaction.atomic
def membership_confirm(*, user: AbstractBaseUser, partner: Partner, role: str, actor: AbstractBaseUser) -> Membership:
    """``actor`` confirms that ``user`` holds ``role`` at ``partner`` (e.g. a researcher who signed in through their
    institution): refused (``PermissionDenied``) unless ``policy.can_confirm_membership``; then
    :func:`membership_grant`, audited with ``actor``. Idempotent."""
    policy.require(policy.can_confirm_membership(actor, partner, role))
    return membership_grant(user=user, partner=partner, role=role, actor=actor)


@transaction.atomic
def membership_revoke(*, membership: Membership, actor: AbstractBaseUser | None = None) -> None:
    """Remove the membership, re-sync the guardian permissions and send ``catalogue.signals.membership_revoked``
    inside the transaction (governance revokes the access grants the user held through it)."""
    user, partner, role = membership.user, membership.partner, membership.role
    audit_record(
        actor=actor,
        action="membership.revoke",
        obj=membership,
        before={"user_id": user.pk, "username": user.get_username(), "partner_id": partner.pk, "role": role},
    )
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
