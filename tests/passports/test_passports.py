"""GA4GH Passports with real RSA keys and real JWS signatures (joserfc): the visas the registry issues for live
grants, and the visas of trusted brokers it verifies — or refuses, with the reason."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.management import call_command
from django.utils import timezone
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from rest_framework.test import APIClient

from governance import workflow
from governance.passports.models import VerifiedVisa
from tests.governance.factories import released_item

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def broker_visa(broker, *, visa_type="ResearcherStatus", key=None, exp_in=3600, aud=None, iss=None, sub="rita"):
    now = int(time.time())
    claims = {
        "iss": iss or broker.issuer,
        "sub": sub,
        "iat": now,
        "exp": now + exp_in,
        "ga4gh_visa_v1": {
            "type": visa_type,
            "asserted": now - 86400,
            "value": "https://doi.org/10.1038/s41431-018-0219-y"
            if visa_type == "ResearcherStatus"
            else "faculty@uni-b.es",
            "source": "https://uni-b.es",
            "by": "so" if visa_type == "ResearcherStatus" else "system",
        },
    }
    if aud is not None:
        claims["aud"] = aud
    signing = key or broker.key
    return jwt.encode({"alg": "RS256", "kid": signing.kid, "jku": broker.jwks_url}, claims, signing)


def test_a_live_grant_is_a_signed_controlled_access_grants_visa(gov, broker):
    item = released_item(gov)
    grant = item.grant
    rita = gov.base.rita_researcher
    passport = api(rita).get("/api/v1/passport/").json()["ga4gh_passport_v1"]
    assert len(passport) == 1
    jwks = api().get("/.well-known/jwks.json").json()
    token = jwt.decode(passport[0], KeySet.import_key_set(jwks), algorithms=["RS256"])
    assert token.header["kid"] == jwks["keys"][0]["kid"]
    assert token.header["jku"].endswith("/.well-known/jwks.json")
    visa = token.claims["ga4gh_visa_v1"]
    assert visa["type"] == "ControlledAccessGrants"
    assert visa["by"] == "dac"
    assert (
        visa["value"].endswith(f"/datasets/{gov.dataset.slug}/") or visa["value"] == gov.dataset.persistent_identifier
    )
    assert visa["source"].endswith(f"/api/v1/dacs/{gov.dac.pk}/")
    assert visa["asserted"] == int(grant.valid_from.timestamp())
    # The end date is inclusive: the visa expires at the midnight after the grant's last day.
    last_day = datetime.datetime.fromtimestamp(token.claims["exp"] - 1, tz=timezone.get_current_timezone()).date()
    assert last_day == grant.valid_until
    # Another user's passport is empty; a revoked grant disappears from the passport.
    assert api(gov.base.carl_other_curator).get("/api/v1/passport/").json() == {"ga4gh_passport_v1": []}
    workflow.grant_revoke(grant=grant, actor=gov.base.olga_owner_curator, reason="Breach of the agreement.")
    assert api(rita).get("/api/v1/passport/").json() == {"ga4gh_passport_v1": []}
    assert api().get("/api/v1/passport/").status_code in (401, 403)


def test_rotation_keeps_old_visas_verifiable(gov, broker):
    released_item(gov)
    old = api(gov.base.rita_researcher).get("/api/v1/passport/").json()["ga4gh_passport_v1"][0]
    call_command("passport_keys", "--rotate", verbosity=0)
    jwks = KeySet.import_key_set(api().get("/.well-known/jwks.json").json())
    assert len(jwks.keys) == 2
    jwt.decode(old, jwks, algorithms=["RS256"])  # still verifies after rotation
    new = api(gov.base.rita_researcher).get("/api/v1/passport/").json()["ga4gh_passport_v1"][0]
    assert (
        jwt.decode(new, jwks, algorithms=["RS256"]).header["kid"]
        == jwks.keys[0].kid
        != jwt.decode(old, jwks, algorithms=["RS256"]).header["kid"]
    )


def test_visas_of_a_trusted_broker_are_verified_and_kept(gov, broker):
    rita = gov.base.rita_researcher
    visas = [broker_visa(broker), broker_visa(broker, visa_type="AffiliationAndRole")]
    response = api(rita).post("/api/v1/passport/visas/", {"visas": visas}, format="json")
    assert response.status_code == 201, response.json()
    assert sorted(v["visa_type"] for v in response.json()) == ["AffiliationAndRole", "ResearcherStatus"]
    assert VerifiedVisa.objects.filter(user=rita).count() == 2
    listed = api(rita).get("/api/v1/passport/visas/").json()
    assert {v["value"] for v in listed} == {"https://doi.org/10.1038/s41431-018-0219-y", "faculty@uni-b.es"}
    # Presenting the same visa again keeps it once.
    api(rita).post("/api/v1/passport/visas/", {"visas": visas[:1]}, format="json")
    assert VerifiedVisa.objects.filter(user=rita).count() == 2


def test_a_passport_from_the_broker_is_unpacked(gov, broker):
    now = int(time.time())
    passport = jwt.encode(
        {"alg": "RS256", "kid": broker.key.kid},
        {
            "iss": broker.issuer,
            "sub": "rita",
            "iat": now,
            "exp": now + 600,
            "ga4gh_passport_v1": [broker_visa(broker), broker_visa(broker, exp_in=-3600)],
        },
        broker.key,
    )
    response = api(gov.base.rita_researcher).post("/api/v1/passport/visas/", {"passport": passport}, format="json")
    assert response.status_code == 201
    assert [v["visa_type"] for v in response.json()] == ["ResearcherStatus"]


@pytest.mark.parametrize(
    "make,reason",
    [
        (
            lambda b: broker_visa(b, iss="https://evil.example.org"),
            "“https://evil.example.org” is not a trusted broker",
        ),
        (
            lambda b: broker_visa(b, key=RSAKey.generate_key(2048, parameters={"kid": "broker-key-1"})),
            "signature does not verify",
        ),
        (lambda b: broker_visa(b, exp_in=-3600), "has expired"),
        (lambda b: broker_visa(b, aud="https://another-registry.example.org"), "not for"),
        (lambda b: "not.a.jwt", "Not a signed JWT"),
    ],
    ids=["untrusted-issuer", "bad-signature", "expired", "wrong-audience", "garbage"],
)
def test_refusals_name_the_reason(gov, broker, make, reason):
    response = api(gov.base.rita_researcher).post("/api/v1/passport/visas/", {"visas": [make(broker)]}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "rule_refused"
    assert body["detail"] == "No visa could be verified."
    assert reason in body["reasons"][0], body["reasons"]
    assert not VerifiedVisa.objects.exists()


def test_a_visa_for_this_registry_as_audience_is_accepted(gov, broker, settings):
    visa = broker_visa(broker, aud=[settings.PASSPORT_AUDIENCE, "https://other.example.org"])
    response = api(gov.base.rita_researcher).post("/api/v1/passport/visas/", {"visas": [visa]}, format="json")
    assert response.status_code == 201


def test_without_a_signing_key_the_passport_is_a_clear_503(gov, settings, tmp_path):
    from governance.passports.keys import signing_keys

    released_item(gov)
    settings.PASSPORT_SIGNING_KEYS_PATH = str(tmp_path / "none.json")
    signing_keys.cache_clear()
    response = api(gov.base.rita_researcher).get("/api/v1/passport/")
    signing_keys.cache_clear()
    assert response.status_code == 503
    assert "passport_keys --generate" in response.json()["detail"]


def test_the_committee_sees_the_requesters_verified_visas_on_the_review_page(gov, broker, client):
    from tests.governance.factories import submitted_item

    item = submitted_item(gov)
    rita = gov.base.rita_researcher
    api(rita).post("/api/v1/passport/visas/", {"visas": [broker_visa(broker)]}, format="json")
    client.force_login(gov.chair)
    page = client.get(f"/review/items/{item.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Bona fide researcher" in html
    assert "https://doi.org/10.1038/s41431-018-0219-y" in html
