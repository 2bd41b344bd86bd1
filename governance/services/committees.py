"""Data access committees, their members and dataset assignment.

``DacMembership`` rows are what governance.policy reads; the guardian object permissions on the DAC
are a derived cache kept in sync here (for the Django admin and ``user.has_perm`` callers) that no
rule reads."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from audit.services import audit_record
from catalogue.models import Dataset, Partner
from catalogue.policy import forget
from governance import selectors
from governance.capacity import escalate_stranded_items
from governance.errors import RuleViolation
from governance.models import (
    VOTING_ROLES,
    DacMembership,
    DacRole,
    DataAccessCommittee,
    DatasetGovernance,
    DecisionRule,
)

ROLE_PERMISSIONS = {
    DacRole.CHAIR: ("governance.review_dac", "governance.vote_dac", "governance.administer_dac"),
    DacRole.MEMBER: ("governance.review_dac", "governance.vote_dac"),
    DacRole.SECRETARY: ("governance.review_dac", "governance.administer_dac"),
}
ALL_DAC_PERMISSIONS = ("governance.review_dac", "governance.vote_dac", "governance.administer_dac")


@transaction.atomic
def dac_create(
    *,
    name: str,
    partner: Partner | None,
    decision_rule: str = DecisionRule.MAJORITY,
    quorum_k: int | None = None,
    target_days: int = 14,
    actor: AbstractBaseUser | None = None,
) -> DataAccessCommittee:
    if decision_rule not in DecisionRule.values:
        raise RuleViolation(f"Unknown decision rule {decision_rule!r}.", field="decision_rule")
    if decision_rule == DecisionRule.QUORUM and not quorum_k:
        raise RuleViolation("The quorum rule needs the number of approvals (quorum_k).", field="quorum_k")
    dac = DataAccessCommittee.objects.create(
        name=name, partner=partner, decision_rule=decision_rule, quorum_k=quorum_k, target_days=target_days
    )
    audit_record(
        actor=actor,
        action="dac.create",
        obj=dac,
        after={
            "name": name,
            "partner_id": partner.pk if partner else None,
            "rule": decision_rule,
            "quorum_k": quorum_k,
        },
    )
    return dac


def _sync_dac_permissions(*, user: AbstractBaseUser, dac: DataAccessCommittee, role: str | None) -> None:
    granted = set(ROLE_PERMISSIONS.get(role, ())) if role else set()
    for perm in ALL_DAC_PERMISSIONS:
        if perm in granted:
            assign_perm(perm, user, dac)
        else:
            remove_perm(perm, user, dac)


@transaction.atomic
def dac_member_set(
    *, dac: DataAccessCommittee, user: AbstractBaseUser, role: str, actor: AbstractBaseUser | None = None
) -> DacMembership:
    """Make ``user`` a ``role`` of ``dac`` (adding or changing the role); mirrors guardian permissions; audited.
    A voter made secretary escalates the items the committee can then no longer decide (governance.capacity)."""
    if role not in DacRole.values:
        raise RuleViolation(f"Unknown DAC role {role!r}.", field="role")
    membership = DacMembership.objects.select_for_update().filter(dac=dac, user=user).first()
    before = {"role": membership.role} if membership else {}
    if membership is None:
        membership = DacMembership.objects.create(dac=dac, user=user, role=role)
    else:
        membership.role = role
        membership.save(update_fields=["role"])
    _sync_dac_permissions(user=user, dac=dac, role=role)
    forget(user)
    audit_record(
        actor=actor,
        action="dac.member_set",
        obj=membership,
        before=before,
        after={"dac_id": dac.pk, "user_id": user.pk, "role": role, "permissions": list(ROLE_PERMISSIONS[role])},
    )
    if before.get("role") in VOTING_ROLES and role not in VOTING_ROLES:
        escalate_stranded_items(dac)  # a voter became secretary: the committee may no longer reach its rule
    return membership


@transaction.atomic
def dac_member_remove(*, membership: DacMembership, actor: AbstractBaseUser | None = None) -> None:
    """Remove a member (permissions withdrawn; audited); items the committee can then no longer decide are
    escalated to the alliance administrators (governance.capacity)."""
    audit_record(
        actor=actor,
        action="dac.member_remove",
        obj=membership,
        before={"dac_id": membership.dac_id, "user_id": membership.user_id, "role": membership.role},
    )
    _sync_dac_permissions(user=membership.user, dac=membership.dac, role=None)
    forget(membership.user)
    membership.delete()
    escalate_stranded_items(membership.dac)


@transaction.atomic
def dataset_governance_assign(
    *, dataset: Dataset, dac: DataAccessCommittee, actor: AbstractBaseUser | None = None
) -> DatasetGovernance:
    """Let ``dac`` govern ``dataset`` from now on (items already submitted keep their DAC)."""
    previous = selectors.dac_for_dataset(dataset)
    governance, _ = DatasetGovernance.objects.update_or_create(dataset=dataset, defaults={"dac": dac})
    audit_record(
        actor=actor,
        action="dataset.governance_assign",
        obj=governance,
        before={"dac_id": previous.pk if previous else None},
        after={"dataset_id": dataset.pk, "dac_id": dac.pk},
    )
    return governance
