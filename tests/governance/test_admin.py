"""Governance admin: history is read-only; DAC membership changes go through the audited service."""

from __future__ import annotations

import pytest
from django.test import Client

from audit.models import AuditEvent
from governance.models import DacMembership
from tests.catalogue.factories import UserFactory
from tests.governance.factories import released_item, submitted_item

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


def _dac_form(client: Client, dac) -> dict:
    form = client.get(f"/admin/governance/dataaccesscommittee/{dac.pk}/change/").context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: ("" if value is None else value) for name, value in data.items()}
    return {**data, "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"}


def test_changing_a_committees_rule_in_the_admin_is_audited(gov, admin_client_ada):
    data = {**_dac_form(admin_client_ada, gov.dac), "decision_rule": "unanimous", "target_days": 21}
    response = admin_client_ada.post(f"/admin/governance/dataaccesscommittee/{gov.dac.pk}/change/", data)
    assert response.status_code == 302, response.content[:2000]
    event = AuditEvent.objects.get(action="dac.update")
    assert event.actor_username == "ada"
    assert (event.before, event.after) == (
        {"decision_rule": "majority", "target_days": 14},
        {"decision_rule": "unanimous", "target_days": 21},
    )


def test_a_committees_rule_cannot_change_while_it_reviews_items(gov, admin_client_ada):
    submitted_item(gov)
    data = {**_dac_form(admin_client_ada, gov.dac), "decision_rule": "unanimous"}
    response = admin_client_ada.post(f"/admin/governance/dataaccesscommittee/{gov.dac.pk}/change/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["decision_rule"] == [
        "1 item(s) are under review by this committee: its decision rule can change only when none is being decided."
    ]
    gov.dac.refresh_from_db()
    assert gov.dac.decision_rule == "majority"
    assert not AuditEvent.objects.filter(action="dac.update").exists()
    # Other fields still change while items are reviewed.
    data = {**_dac_form(admin_client_ada, gov.dac), "target_days": 30}
    assert admin_client_ada.post(f"/admin/governance/dataaccesscommittee/{gov.dac.pk}/change/", data).status_code == 302
    assert AuditEvent.objects.get(action="dac.update").after == {"target_days": 30}


def test_the_rule_service_refuses_a_change_under_review_too(gov):
    from governance import services
    from governance.errors import RuleViolation

    submitted_item(gov)
    with pytest.raises(RuleViolation, match="under review by this committee"):
        services.dac_update(actor=gov.base.ada_admin, dac=gov.dac, decision_rule="unanimous")
