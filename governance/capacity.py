"""Can a committee decide? A committee whose eligible voters (voting members, not recused) cannot reach its
decision rule must not receive requests (submission refused), govern a newly published dataset (publication
refused, through catalogue.extensions), or silently hold items whose voters left (escalated to the alliance
administrators)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from catalogue.models import Dataset
from governance import selectors
from governance.decision_rules import rule_reachable, rule_requirement
from governance.models import VOTING_ROLES, AccessRequestItem, DataAccessCommittee, DecisionRule, ItemState
from governance.notifications import notify

#: Items waiting for their committee's votes: those a committee that lost its voters leaves stranded.
AWAITING_VOTES = (ItemState.SUBMITTED, ItemState.UNDER_REVIEW, ItemState.RESUBMITTED)


def capacity_problem(dac: DataAccessCommittee, *, eligible: int, subject: str, after_recusal: bool) -> str | None:
    """Why ``dac`` with ``eligible`` voters cannot decide on ``subject``, or None when it can reach its rule."""
    if rule_reachable(rule=dac.decision_rule, quorum_k=dac.quorum_k, eligible=eligible):
        return None
    rule = DecisionRule(dac.decision_rule).label.lower()
    if dac.decision_rule == DecisionRule.QUORUM:
        rule = f"{rule}, k = {dac.quorum_k}"
    voters = f"{eligible} eligible voter{'s' if eligible != 1 else ''}{' after recusal' if after_recusal else ''}"
    requirement = rule_requirement(rule=dac.decision_rule, quorum_k=dac.quorum_k)
    return (
        f"The data access committee “{dac}” cannot decide on {subject}: "
        f"it has {voters} and its rule ({rule}) needs {requirement}."
    )


def item_capacity_problem(item: AccessRequestItem) -> str | None:
    """Whether the item's committee (``item.dac``) can reach its rule with the item's eligible voters."""
    assert item.dac is not None  # callers set the deciding committee first
    eligible = len(selectors.eligible_voter_ids(item))
    return capacity_problem(item.dac, eligible=eligible, subject=f"“{item.dataset}”", after_recusal=True)


def publish_precondition(dataset: Dataset) -> list[str]:
    """catalogue.extensions publish precondition: a committee governs the dataset and its voters can reach its
    rule (recusal depends on each request, so it is checked again at submission)."""
    dac = selectors.dac_for_dataset(dataset)
    if dac is None:
        return ["No data access committee governs this dataset: ask the alliance administrators to set one up."]
    voters = dac.memberships.filter(role__in=VOTING_ROLES).count()
    problem = capacity_problem(dac, eligible=voters, subject="this dataset", after_recusal=False)
    return [problem] if problem else []


def escalate_stranded_items(dac: DataAccessCommittee) -> int:
    """Notify the alliance administrators of every item awaiting ``dac``'s votes that it can no longer decide
    (e.g. after a member left); returns how many items were flagged."""
    stranded = []
    items = AccessRequestItem.objects.filter(dac=dac, state__in=AWAITING_VOTES).select_related(
        "request__partner", "dataset", "dac"
    )
    for item in items.order_by("id"):
        problem = item_capacity_problem(item)
        if problem:
            stranded.append((item, problem))
    admins: list[AbstractBaseUser] = list(get_user_model().objects.filter(is_superuser=True, is_active=True))
    for item, problem in stranded:
        notify(
            users=admins,
            verb="committee_cannot_decide",
            message_key="committee.cannot_decide",
            params={"request": item.request.title, "problem": problem},
            access_request_id=item.request_id,
        )
    return len(stranded)
