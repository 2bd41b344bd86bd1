"""Governance admin: history is read-only; DAC membership changes go through the audited service."""

from __future__ import annotations

import pytest
from django.test import Client

from audit.models import AuditEvent
from governance.models import DacMembership
from tests.catalogue.factories import UserFactory
from tests.governance.factories import released_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_ada(gov) -> Client:
    client = Client()
    client.force_login(gov.base.ada_admin)
    return client


@pytest.mark.parametrize(
    "model",
    [
        "dataaccesscommittee",
        "dacmembership",
        "datasetgovernance",
        "accessrequest",
        "accessrequestitem",
        "vote",
        "comment",
        "datasharingagreement",
        "accessgrant",
        "download",
        "notification",
    ],
)
def test_changelists_render(gov, admin_client_ada, model):
    released_item(gov)
    assert admin_client_ada.get(f"/admin/governance/{model}/").status_code == 200


def test_adding_a_dac_member_in_the_admin_grants_permissions_and_is_audited(gov, admin_client_ada):
    newcomer = UserFactory(username="nina_new_member")
    response = admin_client_ada.post(
        "/admin/governance/dacmembership/add/", {"dac": gov.dac.pk, "user": newcomer.pk, "role": "member"}
    )
    assert response.status_code == 302
    assert DacMembership.objects.filter(user=newcomer, dac=gov.dac, role="member").exists()
    newcomer = type(newcomer).objects.get(pk=newcomer.pk)
    assert newcomer.has_perm("governance.vote_dac", gov.dac)
    event = AuditEvent.objects.filter(action="dac.member_set").last()
    assert event.actor_username == "ada"
    assert event.after["user_id"] == newcomer.pk
