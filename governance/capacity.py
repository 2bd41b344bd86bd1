"""Can a committee decide? A committee whose eligible voters (voting members, not recused) cannot reach its
decision rule must not receive requests (submission refused), govern a newly published dataset (publication
refused, through catalogue.extensions), or silently hold items whose voters left (escalated to the alliance
administrators)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalogue.models import Dataset
from governance import selectors
from governance.decision_rules import rule_reachable, rule_requirement
from governance.models import VOTING_ROLES, AccessRequestItem, DataAccessCommittee, DecisionRule, ItemState
from governance.notifications import notify
from harmony.wording import in_sentence

#: Items waiting for their committee's votes: those a committee that lost its voters leaves stranded.
AWAITING_VOTES = (ItemState.SUBMITTED, ItemState.UNDER_REVIEW, ItemState.RESUBMITTED)


def _rule_words(dac: DataAccessCommittee) -> str:
    rule = in_sentence(DecisionRule(dac.decision_rule).label)
    return f"{rule}, k = {dac.quorum_k}" if dac.decision_rule == DecisionRule.QUORUM else rule


def capacity_problem(dac: DataAccessCommittee, *, eligible: int, dataset: str | None) -> str | None:
    """Why ``dac`` with ``eligible`` voters cannot decide, or None when it can reach its rule; in the active language.

    With ``dataset`` (a title) the voters are those left after the request's recusals (submission); without, the
    committee's voting members (publication of "this dataset")."""
    if rule_reachable(rule=dac.decision_rule, quorum_k=dac.quorum_k, eligible=eligible):
        return None
    words = {
        "dac": str(dac),
        "dataset": dataset,
        "count": eligible,
        "rule": _rule_words(dac),
        "requirement": rule_requirement(rule=dac.decision_rule, quorum_k=dac.quorum_k),
    }
    if dataset is None:
        return (
            ngettext(
                "The data access committee “%(dac)s” cannot decide on this dataset: it has %(count)s eligible voter "
                "and its rule (%(rule)s) needs %(requirement)s.",
                "The data access committee “%(dac)s” cannot decide on this dataset: it has %(count)s eligible voters "
                "and its rule (%(rule)s) needs %(requirement)s.",
                eligible,
            )
            % words
        )
    return (
        ngettext(
            "The data access committee “%(dac)s” cannot decide on “%(dataset)s”: it has %(count)s eligible voter "
            "after recusal and its rule (%(rule)s) needs %(requirement)s.",
            "The data access committee “%(dac)s” cannot decide on “%(dataset)s”: it has %(count)s eligible voters "
            "after recusal and its rule (%(rule)s) needs %(requirement)s.",
            eligible,
        )
        % words
    )


def item_capacity_problem(item: AccessRequestItem) -> str | None:
    """Whether the item's committee (``item.dac``) can reach its rule with the item's eligible voters."""
    assert item.dac is not None  # callers set the deciding committee first
    eligible = len(selectors.eligible_voter_ids(item))
    return capacity_problem(item.dac, eligible=eligible, dataset=str(item.dataset))


def publish_precondition(dataset: Dataset) -> list[str]:
    """catalogue.extensions publish precondition: a committee governs the dataset and its voters can reach its
    rule (recusal depends on each request, so it is checked again at submission)."""
    dac = selectors.dac_for_dataset(dataset)
    if dac is None:
        return [_("No data access committee governs this dataset: ask the alliance administrators to set one up.")]
    voters = dac.memberships.filter(role__in=VOTING_ROLES).count()
    problem = capacity_problem(dac, eligible=voters, dataset=None)
    return [problem] if problem else []


def escalate_stranded_items(dac: DataAccessCommittee) -> int:
    """Notify the alliance administrators of every item awaiting ``dac``'s votes that it can no longer decide
    (e.g. after a member left); returns how many items were flagged."""
    stranded = []
    items = AccessRequestItem.objects.filter(dac=dac, state__in=AWAITING_VOTES).select_related(
        "request__partner", "dataset", "dac"
    )
    for item in items.order_by("id"):
        if item_capacity_problem(item):
            stranded.append((item, len(selectors.eligible_voter_ids(item))))
    admins: list[AbstractBaseUser] = list(get_user_model().objects.filter(is_superuser=True, is_active=True))
    needed = (dac.quorum_k or 1) if dac.decision_rule == DecisionRule.QUORUM else 1
    for item, eligible in stranded:
        notify(
            users=admins,
            verb="committee_cannot_decide",
            message_key="committee.cannot_decide",
            # Counts, not a sentence: each administrator reads the escalation in their own language.
            params={
                "request": item.request.title,
                "dataset": str(item.dataset),
                "committee": str(dac),
                "count": eligible,
                "needed": needed,
            },
            access_request_id=item.request_id,
        )
    return len(stranded)
