"""Parallel votes on PostgreSQL: each in its own thread and connection; the tally is right, exactly once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from audit.models import AuditEvent
from audit.services import verify_trail
from governance import services, workflow
from governance.errors import GovernanceError
from governance.models import DacRole, DecisionRule, ItemState, Vote
from tests.catalogue.factories import UserFactory
from tests.governance.factories import submitted_item


def run_in_parallel(functions) -> list[BaseException]:
    barrier = threading.Barrier(len(functions))
    errors: list[BaseException] = []

    def worker(function):
        try:
            barrier.wait()
            function()
        except BaseException as exc:  # collected; the test asserts on them
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(function,)) for function in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_votes_are_all_counted_and_decide_exactly_once(gov):
    gov.dac.decision_rule = DecisionRule.UNANIMOUS
    gov.dac.save()
    voters = [gov.chair, gov.member]
    for n in range(3):
        voter = UserFactory(username=f"parallel_member_{n}")
        services.dac_member_set(dac=gov.dac, user=voter, role=DacRole.MEMBER)
        voters.append(voter)
    item = submitted_item(gov)

    errors = run_in_parallel(
        [lambda voter=voter: workflow.vote_cast(item=item, member=voter, decision="approve") for voter in voters]
    )

    assert errors == []
    item.refresh_from_db()
    assert Vote.objects.filter(item=item).count() == 5
    assert item.state == ItemState.APPROVED
    assert AuditEvent.objects.filter(action="item.approve", object_id=str(item.pk)).count() == 1
    assert verify_trail() is None  # concurrent appends never shared a prev_hash


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_double_vote_by_one_member_counts_once(gov):
    item = submitted_item(gov)

    errors = run_in_parallel(
        [lambda: workflow.vote_cast(item=item, member=gov.chair, decision="approve") for _ in range(4)]
    )

    assert len(errors) == 3
    assert all(isinstance(error, GovernanceError) for error in errors)
    assert {str(error) for error in errors} == {"You have already voted on this item in review round 1."}
    assert Vote.objects.filter(item=item).count() == 1
    assert verify_trail() is None
