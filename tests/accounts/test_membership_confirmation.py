"""Affiliation claims of single sign-ons are shown to the partner's administrators, who confirm memberships: a
claim alone gives no role. The identities are made by ``sso_sign_in`` (the service the callback calls after the
protocol checks, tested against real providers in test_oidc.py); the last test runs the whole way through one."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import OIDCIdentity, ScopedAffiliation
from accounts.selectors import sso_identities_claiming
from accounts.services import sso_sign_in
from audit.models import AuditEvent
from catalogue import policy
from catalogue.models import Membership, MembershipRole
from tests.accounts.conftest import Provider
from tests.conftest import Cast

pytestmark = pytest.mark.django_db
ISSUER = "https://login.example.org"


def sign_in(subject: str, *affiliations: str, given_name: str = "Sam") -> OIDCIdentity:
    claims = {"sub": subject, "given_name": given_name, "eduperson_scoped_affiliation": list(affiliations)}
    user = sso_sign_in(issuer=ISSUER, subject=subject, claims=claims)
    return OIDCIdentity.objects.get(user=user)


@pytest.fixture
def scoped(cast: Cast) -> Cast:
    cast.partner_a.affiliation_scopes = "aha.example, AHA-Klinik.example"
    cast.partner_a.save()
    return cast


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_affiliations_are_stored_split_at_the_scope_and_replaced_at_each_sign_in() -> None:
    identity = sign_in("s-1", "member@aha.example", "staff@AHA.example", "no-scope")
    assert sorted(str(a) for a in identity.affiliations.all()) == ["member@aha.example", "staff@aha.example"]
    sign_in("s-1", "affiliate@other.example")
    assert [str(a) for a in ScopedAffiliation.objects.all()] == ["affiliate@other.example"]


def test_the_selector_finds_the_sign_ins_claiming_a_scope() -> None:
    claiming = sign_in("s-1", "member@aha.example")
    sign_in("s-2", "member@other.example")
    assert list(sso_identities_claiming(["AHA.example"])) == [claiming]
    assert list(sso_identities_claiming([])) == []


def test_a_claim_alone_gives_no_role(scoped: Cast) -> None:
    identity = sign_in("s-1", "member@aha.example", "faculty@aha.example")
    facts = policy.membership_facts(identity.user)
    assert facts.partner_roles == {}
    assert not policy.can_curate(identity.user, scoped.partner_a)
    assert not Membership.objects.filter(user=identity.user).exists()


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("rita", 403), ("carl", 403), ("olga", 200), ("ada", 200)]
)
def test_only_the_partners_administrators_see_its_sign_ins(scoped: Cast, who: str, status: int) -> None:
    sign_in("s-1", "member@aha.example", given_name="Claimant")
    users = {"rita": scoped.rita_researcher, "carl": scoped.carl_other_curator, "olga": scoped.olga_owner_curator}
    users["ada"] = scoped.ada_admin
    client = Client() if who == "anonymous" else client_of(users[who])
    response = client.get("/partners/aha/members/")
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Claimant" in page and "member@aha.example" in page and ISSUER in page


def test_the_partner_page_links_the_members_page_for_its_administrators_only(scoped: Cast) -> None:
    link = 'href="/partners/aha/members/"'
    assert link in client_of(scoped.olga_owner_curator).get("/partners/aha/").content.decode()
    assert link not in client_of(scoped.carl_other_curator).get("/partners/aha/").content.decode()
    assert link not in Client().get("/partners/aha/").content.decode()


def test_a_curator_confirms_a_researcher_and_it_is_audited(scoped: Cast) -> None:
    identity = sign_in("s-1", "member@aha.example")
    client = client_of(scoped.olga_owner_curator)
    response = client.post("/partners/aha/members/confirm/", {"user": identity.user_id, "role": "researcher"})

    assert response.status_code == 302
    assert Membership.objects.filter(user=identity.user, partner=scoped.partner_a, role="researcher").exists()
    event = AuditEvent.objects.filter(action="membership.grant").latest("id")
    assert event.actor == scoped.olga_owner_curator and event.after["user_id"] == identity.user_id
    assert "Researcher" in client.get("/partners/aha/members/").content.decode()


def test_a_curator_cannot_make_a_curator_or_a_dac_member(scoped: Cast) -> None:
    identity = sign_in("s-1", "member@aha.example")
    client = client_of(scoped.olga_owner_curator)
    for role in (MembershipRole.CURATOR, MembershipRole.DAC_MEMBER):
        response = client.post("/partners/aha/members/confirm/", {"user": identity.user_id, "role": role})
        assert response.status_code == 403
    assert not Membership.objects.filter(user=identity.user).exists()
    page = client.get("/partners/aha/members/").content.decode()
    assert '<option value="researcher">' in page and '<option value="curator">' not in page


def test_an_administrator_may_confirm_any_role(scoped: Cast) -> None:
    identity = sign_in("s-1", "member@aha.example")
    client_of(scoped.ada_admin).post("/partners/aha/members/confirm/", {"user": identity.user_id, "role": "curator"})
    assert policy.can_curate(identity.user, scoped.partner_a)


def test_only_people_whose_sign_in_claims_the_partner_can_be_confirmed_here(scoped: Cast) -> None:
    elsewhere = sign_in("s-2", "member@other.example")
    client = client_of(scoped.ada_admin)
    for data in (
        {"user": elsewhere.user_id, "role": "researcher"},
        {"user": scoped.rita_researcher.pk, "role": "researcher"},
        {"user": "x", "role": "researcher"},
        {"user": sign_in("s-3", "member@aha.example").user_id, "role": "owner"},
    ):
        assert client.post("/partners/aha/members/confirm/", data).status_code == 400
    assert not Membership.objects.filter(partner=scoped.partner_a, role="researcher").exists()


def test_another_partners_curator_cannot_confirm(scoped: Cast) -> None:
    identity = sign_in("s-1", "member@aha.example")
    response = client_of(scoped.carl_other_curator).post(
        "/partners/aha/members/confirm/", {"user": identity.user_id, "role": "researcher"}
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=identity.user).exists()


@pytest.mark.oidc
def test_sign_in_at_the_provider_then_confirmation(cast: Cast, alpha: Provider) -> None:
    cast.partner_a.affiliation_scopes = "erasmusmc.example"
    cast.partner_a.save()
    person = Client()
    alpha.sign_in(person, "alice")
    alice = OIDCIdentity.objects.get(issuer__issuer=alpha.issuer).user
    assert not policy.membership_facts(alice).partner_roles

    curator = client_of(cast.olga_owner_curator)
    assert "faculty@erasmusmc.example" in curator.get("/partners/aha/members/").content.decode()
    curator.post("/partners/aha/members/confirm/", {"user": alice.pk, "role": "researcher"})
    policy.forget(alice)
    assert policy.membership_facts(alice).has_role(cast.partner_a.pk, MembershipRole.RESEARCHER)
