"""Each governance endpoint for each role of the cast, on one released request.

Roles: anonymous; rita the requester (researcher at UNB); tina her teammate (researcher at UNB);
carl a curator of UNB (the requesting partner: he sees and signs its agreements, not the request);
olga the holder's curator (AHA); paul a researcher at AHA (an outsider to the request); dana the
DAC chair; rex a recused DAC member; ada the administrator.
"""

from __future__ import annotations

import pytest

from catalogue.models import MembershipRole
from catalogue.services.memberships import membership_grant
from governance import services
from governance.models import Notification
from tests.catalogue.factories import UserFactory
from tests.conftest import api_as
from tests.governance.factories import released_item

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "rita", "tina", "carl", "olga", "paul", "dana", "rex", "ada"]


@pytest.fixture
def world(gov):
    tina = UserFactory(username="tina_team_researcher")
    membership_grant(user=tina, partner=gov.base.partner_b, role=MembershipRole.RESEARCHER)
    paul = UserFactory(username="paul_outsider_researcher")
    membership_grant(user=paul, partner=gov.base.partner_a, role=MembershipRole.RESEARCHER)
    item = released_item(gov)
    users = {
        "anonymous": None,
        "rita": gov.base.rita_researcher,
        "tina": tina,
        "carl": gov.base.carl_other_curator,
        "olga": gov.base.olga_owner_curator,
        "paul": paul,
        "dana": gov.chair,
        "rex": gov.recused_member,
        "ada": gov.base.ada_admin,
    }
    return item, users


def status_for(world, role, url):
    _, users = world
    return api_as(users[role]).get(url).status_code


@pytest.mark.parametrize(
    ("role", "expected"),
    zip(ROLES, [403, 200, 200, 404, 200, 404, 200, 200, 200], strict=True),
)
def test_read_request(world, role, expected):
    item, _ = world
    assert status_for(world, role, f"/api/v1/access-requests/{item.request_id}/") == expected
    assert status_for(world, role, f"/api/v1/access-request-items/{item.pk}/") == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    zip(ROLES, [403, 403, 403, 404, 403, 404, 200, 403, 200], strict=True),
)
def test_read_votes(world, role, expected):
    item, _ = world
    assert status_for(world, role, f"/api/v1/access-request-items/{item.pk}/votes/") == expected


@pytest.mark.parametrize(
    ("role", "visible"),
    zip(ROLES, [None, True, False, False, False, False, True, True, True], strict=True),
)
def test_audit_trail(world, role, visible):
    item, users = world
    response = api_as(users[role]).get(f"/api/v1/audit-events/?request={item.request_id}")
    if visible is None:
        assert response.status_code == 403
    else:
        assert (response.json()["count"] > 0) is visible


@pytest.mark.parametrize(
    ("role", "count"),
    zip(ROLES, [None, 1, 0, 0, 1, 0, 1, 1, 1], strict=True),
)
def test_grants_list(world, role, count):
    _, users = world
    response = api_as(users[role]).get("/api/v1/grants/")
    if count is None:
        assert response.status_code == 403
    else:
        assert response.json()["count"] == count


@pytest.mark.parametrize(
    ("role", "expected"),
    zip(ROLES, [403, 403, 403, 403, 200, 404, 200, 403, 200], strict=True),
)
def test_revoke(world, role, expected):
    item, users = world
    response = api_as(users[role]).post(f"/api/v1/grants/{item.grant.pk}/revoke/", {"reason": "Audit finding."})
    if role in ("tina", "carl", "paul"):
        expected = 404  # they do not see the grant at all
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_dashboard(world, role):
    assert status_for(world, role, "/api/v1/governance/dashboard/") == (403 if role == "anonymous" else 200)


def test_notifications_are_private(world):
    _, users = world
    danas = Notification.objects.filter(user=users["dana"]).first()
    assert api_as(users["rita"]).get(f"/api/v1/notifications/{danas.pk}/").status_code == 404
    assert api_as(users["rita"]).post(f"/api/v1/notifications/{danas.pk}/read/").status_code == 404
    read_all = api_as(users["rita"]).post("/api/v1/notifications/read-all/")
    assert read_all.json()["marked_read"] == Notification.objects.filter(user=users["rita"]).count()
    assert Notification.objects.filter(user=users["dana"], read_at__isnull=False).count() == 0


def test_comments_and_dac_only_comments(world):
    item, users = world
    url = "/api/v1/request-comments/"
    body = {"request": item.request_id, "body": "When will the data arrive?"}
    assert api_as(users["rita"]).post(url, body).status_code == 201
    assert api_as(users["paul"]).post(url, body).status_code == 404
    refused = api_as(users["rita"]).post(url, {**body, "dac_only": True})
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only members of a deciding DAC can write DAC-only comments."
    assert api_as(users["dana"]).post(url, {**body, "body": "Internal note.", "dac_only": True}).status_code == 201
    requester_view = api_as(users["rita"]).get(f"{url}?request={item.request_id}").json()["results"]
    dac_view = api_as(users["dana"]).get(f"{url}?request={item.request_id}").json()["results"]
    assert [c["body"] for c in requester_view] == ["When will the data arrive?"]
    assert [c["body"] for c in dac_view] == ["When will the data arrive?", "Internal note."]
    assert Notification.objects.filter(user=users["rita"], verb="comment_added").exists() is False
    assert Notification.objects.filter(user=users["dana"], verb="comment_added").exists()


def test_dacs_are_listed_with_members(world):
    _, users = world
    dacs = api_as(users["paul"]).get("/api/v1/dacs/").json()["results"]
    assert dacs[0]["name"] == "AHA Data Access Committee"
    assert {m["role"] for m in dacs[0]["members"]} == {"chair", "member", "secretary"}


def test_carl_can_sign_for_the_requesting_partner(gov):
    from tests.governance.factories import approved_item

    item = approved_item(gov)
    agreement = item.request.agreements.get()
    response = api_as(gov.base.carl_other_curator).post(
        f"/api/v1/agreements/{agreement.pk}/sign/", {"side": "requester"}
    )
    assert response.status_code == 200
    assert response.json()["requester_signed_by"] == "carl"


def test_reassigning_a_dataset_to_another_dac(gov):
    alliance = services.dac_create(name="Alliance DAC", partner=None)
    services.dac_member_set(dac=alliance, user=UserFactory(username="alice_alliance_chair"), role="chair")
    services.dataset_governance_assign(dataset=gov.dataset, dac=alliance)
    from tests.governance.factories import submitted_item

    item = submitted_item(gov)
    assert item.dac == alliance
    assert api_as(gov.chair).get(f"/api/v1/access-request-items/{item.pk}/").status_code == 404
