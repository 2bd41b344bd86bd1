"""Data access committees, their members and dataset assignment.

``DacMembership`` rows are what governance.policy reads; the guardian object permissions on the DAC
are a derived cache kept in sync here (for the Django admin and ``user.has_perm`` callers) that no
rule reads."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _
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
    ItemState,
)

#: Items whose committee is deciding them: its decision rule may not change under them.
DECIDING_STATES = (ItemState.SUBMITTED, ItemState.UNDER_REVIEW, ItemState.RESUBMITTED)
DAC_FIELDS = ("name", "partner", "decision_rule", "quorum_k", "target_days")

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
        raise RuleViolation(_("Unknown decision rule %(rule)s.") % {"rule": repr(decision_rule)}, field="decision_rule")
    if decision_rule == DecisionRule.QUORUM and not quorum_k:
        raise RuleViolation(_("The quorum rule needs the number of approvals (quorum_k)."), field="quorum_k")
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
        raise RuleViolation(_("Unknown DAC role %(role)s.") % {"role": repr(role)}, field="role")
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


def dac_rule_change_refusal(*, dac: DataAccessCommittee, decision_rule: str, quorum_k: int | None) -> str | None:
    """Why ``dac``'s decision rule may not become (``decision_rule``, ``quorum_k``) now, or None if it may.

    A rule changed while items are being decided would decide them by a rule other than the one they were
    submitted under; the change waits until the committee has no item under review.
    """
    if dac.pk is None or (dac.decision_rule, dac.quorum_k) == (decision_rule, quorum_k):
        return None
    deciding = dac.items.filter(state__in=DECIDING_STATES).count()
    if deciding:
        return _(
            "%(count)s item(s) are under review by this committee: its decision rule can change only when none is "
            "being decided."
        ) % {"count": deciding}
    return None


@transaction.atomic
def dac_update(*, actor: AbstractBaseUser, dac: DataAccessCommittee, **changes: object) -> DataAccessCommittee:
    """Change any of ``DAC_FIELDS`` of ``dac`` under a row lock; audited (``dac.update``) with before and after.

    Refuses (RuleViolation) a decision-rule change while the committee has items under review, and a
    quorum rule without its number of approvals.
    """
    unknown = set(changes) - set(DAC_FIELDS)
    if unknown:
        raise TypeError(f"Unknown committee field(s): {', '.join(sorted(unknown))}.")
    dac = DataAccessCommittee.objects.select_for_update().get(pk=dac.pk)
    rule = str(changes.get("decision_rule", dac.decision_rule))
    quorum_k = changes.get("quorum_k", dac.quorum_k)
    if rule not in DecisionRule.values:
        raise RuleViolation(_("Unknown decision rule %(rule)s.") % {"rule": repr(rule)}, field="decision_rule")
    if rule == DecisionRule.QUORUM and not quorum_k:
        raise RuleViolation(_("The quorum rule needs the number of approvals (quorum_k)."), field="quorum_k")
    refusal = dac_rule_change_refusal(dac=dac, decision_rule=rule, quorum_k=quorum_k)  # type: ignore[arg-type]
    if refusal:
        raise RuleViolation(refusal, field="decision_rule")
    before = {name: getattr(dac, f"{name}_id" if name == "partner" else name) for name in changes}
    for name, value in changes.items():
        setattr(dac, name, value)
    dac.save()
    after = {name: getattr(dac, f"{name}_id" if name == "partner" else name) for name in changes}
    audit_record(actor=actor, action="dac.update", obj=dac, before=before, after=after)
    return dac
