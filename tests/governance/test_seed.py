"""seed_governance_demo: DACs for partners with published datasets, DAC users, example requests; idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.services import verify_trail
from catalogue.models import DuoTerm
from governance import demo
from governance.decision_rules import rule_reachable
from governance.demo import ALLIANCE_DAC
from governance.models import (
    VOTING_ROLES,
    AccessGrant,
    AccessRequest,
    AccessRequestItem,
    DacMembership,
    DataAccessCommittee,
    RequestDocument,
)
from governance.policy import can_release, is_recused
from governance.selectors import request_state
from governance.workflow import release_gate_problems
from tests.catalogue.factories import ConsentFactory, DatasetFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]


def test_seed_governance_demo_after_the_catalogue_demo(cast, capsys):
    dataset = DatasetFactory(partner=cast.partner_a, title="Seeded cohort", slug="seeded")
    ConsentFactory(dataset=dataset, permission=DuoTerm.objects.get(short_code="GRU"))

    call_command("seed_governance_demo")
    out = capsys.readouterr().out
    assert (
        "2 DAC(s) created; users created: dac-chair, dac-member, dac-secretary, dac-member-recused; "
        "5 committee seat(s) staffed." in out
    )

    assert set(DataAccessCommittee.objects.values_list("name", flat=True)) == {
        "AHA Data Access Committee",
        ALLIANCE_DAC,
    }
    # Every committee is staffed so it can reach its rule; the examples' committee has a recused member.
    assert set(DacMembership.objects.values_list("dac__name", "user__username", "role")) == {
        ("AHA Data Access Committee", "dac-chair", "chair"),
        ("AHA Data Access Committee", "dac-member", "member"),
        ("AHA Data Access Committee", "dac-aha-member-1", "member"),
        ("AHA Data Access Committee", "dac-member-recused", "member"),
        ("AHA Data Access Committee", "dac-secretary", "secretary"),
        (ALLIANCE_DAC, "dac-alliance-chair", "chair"),
        (ALLIANCE_DAC, "dac-alliance-member-1", "member"),
        (ALLIANCE_DAC, "dac-alliance-member-2", "member"),
        (ALLIANCE_DAC, "dac-alliance-secretary", "secretary"),
    }
    recused = DacMembership.objects.get(user__username="dac-member-recused")
    assert all(is_recused(recused.user, r) for r in AccessRequest.objects.all())
    for dac in DataAccessCommittee.objects.all():
        voters = dac.memberships.filter(role__in=VOTING_ROLES).count()
        assert rule_reachable(rule=dac.decision_rule, quorum_k=dac.quorum_k, eligible=voters - 1), dac
    states = {r.title: request_state(r) for r in AccessRequest.objects.all()}
    assert sorted(states.values()) == sorted(
        ["draft", "under_review", "changes_requested", "approved", "agreement_signed", "released", "rejected"]
    )
    # The data holder's curator signs and releases (not the committee); one signed item waits for the release.
    released = AccessGrant.objects.get()
    assert released.released_by == cast.olga_owner_curator
    waiting = AccessRequestItem.objects.get(request__title="Cytogenetic risk groups and outcome after transplant")
    assert can_release(cast.olga_owner_curator, waiting).allowed
    assert release_gate_problems(waiting, today=timezone.localdate()) == []
    assert verify_trail() is None
    requester = AccessRequest.objects.first().requester
    assert requester.username == "rita"  # seed_demo's researcher, at another partner

    # Each example carries the documents a committee reads: protocol, ethics approval and analysis plan (the one
    # refused for its missing analysis plan has none), as PDFs the registry stored and can hand out.
    for access_request in AccessRequest.objects.all():
        kinds = sorted(access_request.documents.values_list("kind", flat=True))
        if "without an analysis plan" in access_request.title:
            assert kinds == ["ethics_approval", "protocol"]
        else:
            assert kinds == ["analysis_plan", "ethics_approval", "protocol"]
        assert {d.media_type for d in access_request.documents.all()} == {"application/pdf"}
    waiting.refresh_from_db()
    kinds_reviewed = [d["kind"] for d in waiting.basis.intended_use["documents"]]
    assert kinds_reviewed == ["analysis_plan", "ethics_approval", "protocol"]  # what the committee decided on

    call_command("seed_governance_demo")
    out = capsys.readouterr().out
    assert "0 DAC(s) created; users created: none; 0 committee seat(s) staffed." in out
    assert AccessRequest.objects.count() == 7
    assert RequestDocument.objects.count() == 3 * 7 - 1


def test_a_seed_stopped_after_the_drafts_is_completed_by_the_next_run(cast, capsys, monkeypatch):
    """The examples are brought to their states one transaction each, after the drafts and their documents: a run
    stopped there leaves unsubmitted drafts, which the next run finishes without doubling their documents."""
    dataset = DatasetFactory(partner=cast.partner_a, title="Seeded cohort", slug="seeded")
    ConsentFactory(dataset=dataset, permission=DuoTerm.objects.get(short_code="GRU"))
    advance = demo._advance

    def stop_at_the_approval(access_request, target, **options):
        if target == "approved":
            raise RuntimeError("stopped")
        advance(access_request, target, **options)

    monkeypatch.setattr(demo, "_advance", stop_at_the_approval)
    with pytest.raises(RuntimeError, match="stopped"):
        call_command("seed_governance_demo")
    stopped = AccessRequest.objects.get(title="Measurable residual disease and relapse risk")
    assert request_state(stopped) == "draft"
    monkeypatch.setattr(demo, "_advance", advance)

    call_command("seed_governance_demo")
    states = {r.title: request_state(r) for r in AccessRequest.objects.all()}
    assert sorted(states.values()) == sorted(
        ["draft", "under_review", "changes_requested", "approved", "agreement_signed", "released", "rejected"]
    )
    assert stopped.documents.count() == 3
    assert RequestDocument.objects.count() == 3 * 7 - 1


def test_seed_governance_demo_without_a_catalogue_says_what_to_do(db, capsys):
    call_command("seed_governance_demo")
    assert "run `manage.py seed_demo` first" in capsys.readouterr().out


def test_print_logins(db, capsys):
    call_command("seed_governance_demo", "--print-logins")
    assert "dac-chair" in capsys.readouterr().out
