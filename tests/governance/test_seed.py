"""seed_governance_demo: DACs for partners with published datasets, DAC users, example requests; idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from audit.services import verify_trail
from catalogue.models import DuoTerm
from governance.demo import ALLIANCE_DAC
from governance.models import AccessRequest, DacMembership, DataAccessCommittee
from governance.selectors import request_state
from tests.catalogue.factories import ConsentFactory, DatasetFactory

pytestmark = pytest.mark.django_db


def test_seed_governance_demo_after_the_catalogue_demo(cast, capsys):
    dataset = DatasetFactory(partner=cast.partner_a, title="Seeded cohort", slug="seeded")
    ConsentFactory(dataset=dataset, permission=DuoTerm.objects.get(short_code="GRU"))

    call_command("seed_governance_demo")
    out = capsys.readouterr().out
    assert "2 DAC(s) created; users created: dac-chair, dac-member, dac-secretary." in out

    assert set(DataAccessCommittee.objects.values_list("name", flat=True)) == {
        "AHA Data Access Committee",
        ALLIANCE_DAC,
    }
    assert set(DacMembership.objects.values_list("user__username", "role")) == {
        ("dac-chair", "chair"),
        ("dac-member", "member"),
        ("dac-secretary", "secretary"),
    }
    states = {r.title: request_state(r) for r in AccessRequest.objects.all()}
    assert sorted(states.values()) == sorted(
        ["draft", "under_review", "changes_requested", "approved", "released", "rejected"]
    )
    assert verify_trail() is None
    requester = AccessRequest.objects.first().requester
    assert requester.username == "rita"  # seed_demo's researcher, at another partner

    call_command("seed_governance_demo")
    out = capsys.readouterr().out
    assert "0 DAC(s) created; users created: none." in out
    assert AccessRequest.objects.count() == 6


def test_seed_governance_demo_without_a_catalogue_says_what_to_do(db, capsys):
    call_command("seed_governance_demo")
    assert "run `manage.py seed_demo` first" in capsys.readouterr().out


def test_print_logins(db, capsys):
    call_command("seed_governance_demo", "--print-logins")
    assert "dac-chair" in capsys.readouterr().out
