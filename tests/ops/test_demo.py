"""``make demo`` re-runs: its seed and index steps, run twice on one SQLite database, succeed and change nothing."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from catalogue.models import Consent, Dataset, Distribution, Partner, Variable
from catalogue.search.models import DatasetEntry, VariableEntry
from governance.models import AccessRequest, DacMembership, DataAccessCommittee
from governance.selectors import request_state


def demo_steps() -> str:
    """The data steps of ``make demo`` (after ``migrate``), in its order; their combined output."""
    out = io.StringIO()
    for command in ("seed_demo", "seed_governance_demo", "search_reindex"):
        call_command(command, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, object]:
    """What a demo user sees, as counts and states, so two runs can be compared."""
    models = (
        Partner,
        Dataset,
        Variable,
        Consent,
        Distribution,
        get_user_model(),
        DataAccessCommittee,
        DacMembership,
        DatasetEntry,
        VariableEntry,
    )
    counts: dict[str, object] = {model.__name__: model.objects.count() for model in models}
    counts["requests"] = sorted((r.title, request_state(r)) for r in AccessRequest.objects.all())
    return counts


@pytest.mark.django_db
def test_the_demo_steps_run_twice_cleanly_and_leave_the_same_data(private_storage):
    demo_steps()
    first = snapshot()
    assert first["Dataset"] == 127 and len(first["requests"]) == 7

    second_output = demo_steps()

    assert "nothing seeded" in second_output
    assert "0 DAC(s) created; users created: none; 0 committee seat(s) staffed." in second_output
    assert snapshot() == first
