"""A DAC's decision rule, evaluated over the votes of its eligible (voting, non-recused) members.

Pure: counts in, outcome out. Each member votes approve, reject or "ask for changes"; the item
is decided by the committee under its rule, never by one member's vote:

- **approved** as soon as the approvals meet the rule;
- **rejected** as soon as the rule can no longer be met even if every member who has not voted
  and every member who asked for changes approved (rework could not save it);
- **changes requested** as soon as approval can no longer be reached in this round without the
  members who asked for changes (so the committee, under its rule, sends the item back; a new
  round starts on resubmission).

========== ======================================== =========================================
rule       approved when                            rejected when
========== ======================================== =========================================
any_one    approvals ≥ 1                            every eligible member rejected
majority   approvals > eligible / 2                 rejections ≥ eligible / 2
unanimous  approvals = eligible                     any rejection
quorum k   approvals ≥ k and no rejection           any rejection, or eligible < k
========== ======================================== =========================================

So under ``unanimous`` one request for changes sends the item back; under ``majority`` of three
it takes two (or one request for changes plus one rejection); under ``any_one`` every member must
have asked for changes or rejected, with at least one asking for changes.

Besides these votes, the committee's chair and secretary may send an item back without voting
(governance.workflow.request_changes): a procedural power of the committee's officers, shown in
the rule panel, for a request that is not ready to be decided.

With no eligible member nothing can be decided: the outcome stays pending (the DAC
must add members), rather than rejecting automatically. :func:`rule_reachable` says whether a
committee with ``eligible`` voters can reach its rule at all; submission and publication require it.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import ngettext


class Outcome(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    CHANGES_REQUESTED = "changes_requested"


def _rule_met(rule: str, quorum_k: int | None, approvals: int, rejections: int, eligible: int) -> bool:
    if rule == "any_one":
        return approvals >= 1
    if rule == "majority":
        return approvals * 2 > eligible
    if rule == "unanimous":
        return approvals == eligible and rejections == 0
    if rule == "quorum":
        return approvals >= (quorum_k or 1) and rejections == 0
    raise ValueError(f"Unknown decision rule {rule!r}.")


def decision_outcome(
    *, rule: str, quorum_k: int | None, approvals: int, rejections: int, eligible: int, changes: int = 0
) -> Outcome:
    """What the committee's rule makes of the round's votes (see the module docstring)."""
    if eligible <= 0:
        return Outcome.PENDING
    if _rule_met(rule, quorum_k, approvals, rejections, eligible):
        return Outcome.APPROVED
    undecided = max(eligible - approvals - rejections - changes, 0)
    if not _rule_met(rule, quorum_k, approvals + undecided + changes, rejections, eligible):
        return Outcome.REJECTED
    if changes and not _rule_met(rule, quorum_k, approvals + undecided, rejections, eligible):
        return Outcome.CHANGES_REQUESTED
    return Outcome.PENDING


def rule_reachable(*, rule: str, quorum_k: int | None, eligible: int) -> bool:
    """Whether ``eligible`` voters can meet the rule at all (all of them approving)."""
    return eligible > 0 and _rule_met(rule, quorum_k, eligible, 0, eligible)


def rule_requirement(*, rule: str, quorum_k: int | None) -> str:
    """The smallest committee that can reach the rule, in words (for refusal messages)."""
    needed = (quorum_k or 1) if rule == "quorum" else 1
    return ngettext("at least %(count)s eligible voter", "at least %(count)s eligible voters", needed) % {
        "count": needed
    }
