"""The governance cast, on top of tests/conftest.py's ``cast``.

Partner A (olga curates it) runs the DAC that governs its dataset ``dataset`` (an HMB consent).
Its members: ``dana`` the chair, ``mike`` a member, ``rex`` a member who is also a researcher at
partner B — the partner rita requests on behalf of, so rex is recused from rita's requests — and
``sam`` the secretary (does not vote). The rule is a simple majority of eligible members: with rex
recused and sam not voting, dana and mike must both approve.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AbstractBaseUser

from catalogue.models import Dataset, DuoTerm, MembershipRole
from catalogue.services.memberships import membership_grant
from governance import services
from governance.models import DacRole, DataAccessCommittee, DecisionRule
from tests.catalogue.factories import ConsentFactory, DatasetFactory, UserFactory
from tests.conftest import Cast


@dataclass
class GovernanceCast:
    base: Cast
    dac: DataAccessCommittee
    chair: AbstractBaseUser
    member: AbstractBaseUser
    recused_member: AbstractBaseUser
    secretary: AbstractBaseUser
    dataset: Dataset


@pytest.fixture
def gov(cast: Cast) -> GovernanceCast:
    dana = UserFactory(username="dana_dac_chair")
    mike = UserFactory(username="mike_dac_member")
    rex = UserFactory(username="rex_recused_member")
    sam = UserFactory(username="sam_dac_secretary")
    membership_grant(user=rex, partner=cast.partner_b, role=MembershipRole.RESEARCHER)
    dac = services.dac_create(
        name="AHA Data Access Committee", partner=cast.partner_a, decision_rule=DecisionRule.MAJORITY
    )
    for user, role in ((dana, DacRole.CHAIR), (mike, DacRole.MEMBER), (rex, DacRole.MEMBER), (sam, DacRole.SECRETARY)):
        services.dac_member_set(dac=dac, user=user, role=role)
    dataset = DatasetFactory(partner=cast.partner_a, title="AHA AML cohort", slug="aha-aml", diseases=["AML"])
    ConsentFactory(dataset=dataset, form_version="v1", permission=DuoTerm.objects.get(short_code="HMB"))
    return GovernanceCast(cast, dac, dana, mike, rex, sam, dataset)
