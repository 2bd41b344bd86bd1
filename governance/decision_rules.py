"""A DAC's decision rule, evaluated over the votes of its eligible (voting, non-recused) members.

Pure: counts in, outcome out. An item is approved as soon as the rule is met, and
rejected as soon as it can no longer be met even if every eligible member who has
not voted yet approved. "Ask for changes" votes count as neither (they send the item
back to the requester and a new round starts).

========== ======================================== =========================================
rule       approved when                            rejected when
========== ======================================== =========================================
any_one    approvals ≥ 1                            every eligible member rejected
majority   approvals > eligible / 2                 rejections ≥ eligible / 2
unanimous  approvals = eligible                     any rejection
quorum k   approvals ≥ k and no rejection           any rejection, or eligible < k
========== ======================================== =========================================

With no eligible member nothing can be decided: the outcome stays pending (the DAC
must add members), rather than rejecting automatically.
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


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


def decision_outcome(*, rule: str, quorum_k: int | None, approvals: int, rejections: int, eligible: int) -> Outcome:
    if eligible <= 0:
        return Outcome.PENDING
    if _rule_met(rule, quorum_k, approvals, rejections, eligible):
        return Outcome.APPROVED
    undecided = max(eligible - approvals - rejections, 0)
    if not _rule_met(rule, quorum_k, approvals + undecided, rejections, eligible):
        return Outcome.REJECTED
    return Outcome.PENDING
