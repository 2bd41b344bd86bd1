"""A grant follows the affiliation it was granted for: a researcher who leaves the requesting partner loses it
(membership revocation, through the catalogue signal), and release and download check the affiliation again."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from catalogue.models import Membership, MembershipRole
from catalogue.services.memberships import membership_revoke
from governance.models import AccessGrant, ItemState
from tests.conftest import api_as
from tests.governance.factories import released_item, signed_item
from tests.governance.test_api_bypasses import distribution  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

LEFT = "The requester is no longer a researcher at UNB."


def researcher_membership(gov) -> Membership:
    return Membership.objects.get(
        user=gov.base.rita_researcher, partner=gov.base.partner_b, role=MembershipRole.RESEARCHER
    )


def test_leaving_the_requesting_partner_revokes_the_grant(gov, distribution):  # noqa: F811
    item = released_item(gov)
    membership_revoke(membership=researcher_membership(gov), actor=gov.base.ada_admin)
    grant = AccessGrant.objects.get(item=item)
    assert grant.revoked_at is not None and grant.revoke_reason == LEFT
    item.refresh_from_db()
    assert item.state == ItemState.REVOKED
    assert AuditEvent.objects.get(action="item.revoke").actor_username == "ada"
    response = api_as(gov.base.rita_researcher).get(f"/api/v1/downloads/{distribution.pk}/")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Your access grant was revoked on ")


def test_leaving_through_the_admin_revokes_the_grant(gov, client):
    item = released_item(gov)
    client.force_login(gov.base.ada_admin)
    membership = researcher_membership(gov)
    response = client.post(f"/admin/catalogue/membership/{membership.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert AccessGrant.objects.get(item=item).revoke_reason == LEFT


def test_losing_another_role_keeps_the_grant(gov):
    item = released_item(gov)
    extra = Membership.objects.create(
        user=gov.base.rita_researcher, partner=gov.base.partner_b, role=MembershipRole.CURATOR
    )
    membership_revoke(membership=extra)
    assert AccessGrant.objects.get(item=item).revoked_at is None


def test_release_is_refused_once_the_requester_has_left(gov):
    item = signed_item(gov)
    membership_revoke(membership=researcher_membership(gov))
    response = api_as(gov.base.olga_owner_curator).post(f"/api/v1/access-request-items/{item.pk}/release/")
    assert response.status_code == 400
    assert LEFT in response.json()["reasons"]
    assert not AccessGrant.objects.filter(item=item).exists()


def test_download_checks_the_affiliation_again(gov, distribution):  # noqa: F811
    released_item(gov)
    researcher_membership(gov).delete()  # behind the services' back: no signal, the grant is still live
    response = api_as(gov.base.rita_researcher).get(f"/api/v1/downloads/{distribution.pk}/")
    assert response.status_code == 403
    assert response.json()["detail"] == f"{LEFT} Access granted on the partner's behalf does not follow you."
