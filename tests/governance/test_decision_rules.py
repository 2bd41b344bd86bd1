"""The DAC decision rules over eligible members' votes (pure)."""

from __future__ import annotations

import pytest

from governance.decision_rules import Outcome, decision_outcome, rule_reachable

A, R, P, C = Outcome.APPROVED, Outcome.REJECTED, Outcome.PENDING, Outcome.CHANGES_REQUESTED


@pytest.mark.parametrize(
    ("rule", "k", "approvals", "rejections", "eligible", "outcome"),
    [
        ("any_one", None, 1, 0, 3, A),
        ("any_one", None, 1, 2, 3, A),
        ("any_one", None, 0, 2, 3, P),
        ("any_one", None, 0, 3, 3, R),
        ("majority", None, 2, 0, 3, A),
        ("majority", None, 1, 0, 3, P),
        ("majority", None, 1, 1, 3, P),
        ("majority", None, 0, 2, 3, R),
        ("majority", None, 2, 0, 4, P),  # half is not a majority
        ("majority", None, 3, 0, 4, A),
        ("majority", None, 2, 2, 4, R),
        ("majority", None, 1, 0, 2, P),
        ("majority", None, 0, 1, 2, R),
        ("unanimous", None, 2, 0, 3, P),
        ("unanimous", None, 3, 0, 3, A),
        ("unanimous", None, 2, 1, 3, R),
        ("quorum", 2, 2, 0, 5, A),
        ("quorum", 2, 1, 0, 5, P),
        ("quorum", 2, 3, 1, 5, R),  # any rejection blocks the quorum rule
        ("quorum", 3, 1, 0, 2, R),  # fewer eligible members than the quorum: it can never be reached
        ("majority", None, 0, 0, 0, P),  # nobody eligible: nothing is decided automatically
        ("any_one", None, 0, 0, 0, P),
    ],
)
def test_decision_rule_table(rule, k, approvals, rejections, eligible, outcome):
    assert (
        decision_outcome(rule=rule, quorum_k=k, approvals=approvals, rejections=rejections, eligible=eligible)
        == outcome
    )


def test_unknown_rule_is_an_error():
    with pytest.raises(ValueError, match="Unknown decision rule"):
        decision_outcome(rule="coin_toss", quorum_k=None, approvals=1, rejections=0, eligible=1)


@pytest.mark.parametrize(
    ("rule", "k", "approvals", "rejections", "changes", "eligible", "outcome"),
    [
        # One member asking for changes does not send the item back while the others can still approve.
        ("any_one", None, 0, 0, 1, 3, P),
        ("any_one", None, 1, 0, 1, 3, A),
        ("any_one", None, 0, 2, 1, 3, C),  # nobody left to approve; one asked for changes
        ("any_one", None, 0, 0, 3, 3, C),
        ("majority", None, 0, 0, 1, 3, P),
        ("majority", None, 0, 0, 2, 3, C),
        ("majority", None, 1, 1, 1, 3, C),
        ("majority", None, 1, 0, 1, 2, C),  # the other of two approved: no majority without the asker
        ("majority", None, 2, 0, 2, 4, C),
        ("majority", None, 0, 2, 1, 3, R),  # rejected whatever the asker does after rework
        ("unanimous", None, 0, 0, 1, 3, C),  # under unanimity one request for changes suffices
        ("unanimous", None, 0, 1, 1, 3, R),
        ("quorum", 2, 0, 0, 1, 3, P),
        ("quorum", 2, 1, 0, 2, 3, C),
        ("quorum", 2, 0, 0, 3, 3, C),
    ],
)
def test_asking_for_changes_is_a_committee_decision(rule, k, approvals, rejections, changes, eligible, outcome):
    assert (
        decision_outcome(
            rule=rule, quorum_k=k, approvals=approvals, rejections=rejections, changes=changes, eligible=eligible
        )
        == outcome
    )


@pytest.mark.parametrize(
    ("rule", "k", "eligible", "reachable"),
    [
        ("any_one", None, 1, True),
        ("majority", None, 1, True),
        ("unanimous", None, 1, True),
        ("quorum", 3, 2, False),
        ("quorum", 3, 3, True),
        ("majority", None, 0, False),
        ("any_one", None, 0, False),
    ],
)
def test_a_committee_can_reach_its_rule_only_with_enough_eligible_voters(rule, k, eligible, reachable):
    assert rule_reachable(rule=rule, quorum_k=k, eligible=eligible) is reachable
