"""Single sign-on against the real OpenID Connect providers of scripts/oidc.sh (no mock of the protocol).

alpha is the configured provider; beta another provider asserting the same e-mail address for its "alice"; skewed
issues ID tokens that have already expired. Every refusal ends on the refusal page (never a 500), signs nobody in
and is audited.
"""

from __future__ import annotations

import base64
import hashlib
import json
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.test import Client
from django.utils.html import escape

from accounts.models import OIDCIdentity
from accounts.oidc import SignInRefused, SSOBackend
from audit.models import AuditEvent
from catalogue import policy
from tests.accounts.conftest import CLIENT_ID, CLIENT_SECRET, Provider

pytestmark = [pytest.mark.oidc, pytest.mark.django_db]


def signed_in_user(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


def assert_refused(response, code: str, *, status: int = 400) -> None:
    assert response.status_code == status
    assert "You are not signed in" in response.content.decode()
    assert f"Reference for the registry's administrators: {code}." in response.content.decode()
    assert AuditEvent.objects.filter(action=f"sso.refuse.{code}").exists()


# --- the flow ---------------------------------------------------------------------------------------------------


def test_the_authorization_request_carries_state_nonce_and_an_s256_pkce_challenge(alpha: Provider, client) -> None:
    start = client.get("/accounts/oidc/start/")
    query = parse_qs(urlsplit(start["Location"]).query)
    assert start["Location"].startswith(alpha.issuer + "/authorize/")
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    attempt = client.session["oidc_states"][query["state"][0]]
    assert attempt["nonce"] == query["nonce"][0]
    expected = base64.urlsafe_b64encode(hashlib.sha256(attempt["code_verifier"].encode()).digest()).rstrip(b"=")
    assert query["code_challenge"] == [expected.decode()]


def test_first_sign_in_creates_the_account_keyed_on_issuer_and_subject(alpha: Provider, client) -> None:
    response = alpha.sign_in(client, "alice", next="/datasets/")

    assert response.status_code == 302 and response["Location"] == "/datasets/"
    user = signed_in_user(client)
    identity = OIDCIdentity.objects.get(user=user)
    assert identity.issuer.issuer == alpha.issuer
    assert identity.subject and identity.subject == identity.claims["sub"]
    assert (user.username, user.first_name, user.last_name, user.email) == (
        "alice",
        "Alice",
        "Aalders",
        "alice@erasmusmc.example",
    )
    assert identity.scoped_affiliations == ["member@erasmusmc.example", "faculty@erasmusmc.example"]
    assert not user.has_usable_password()
    event = AuditEvent.objects.get(action="sso.first_sign_in")
    assert event.actor == user and event.after["issuer"] == alpha.issuer


def test_a_second_sign_in_finds_the_same_account_and_refreshes_its_claims(alpha: Provider) -> None:
    first, second = Client(), Client()
    alpha.sign_in(first, "alice")
    OIDCIdentity.objects.update(claims={})
    alpha.sign_in(second, "alice")

    assert signed_in_user(first) == signed_in_user(second)
    assert OIDCIdentity.objects.get().claims["email"] == "alice@erasmusmc.example"
    assert AuditEvent.objects.filter(action="sso.sign_in").count() == 1


def test_the_same_email_from_another_issuer_is_another_account(alpha: Provider, beta: Provider, settings) -> None:
    at_alpha, at_beta = Client(), Client()
    alpha.sign_in(at_alpha, "alice")
    for name, value in beta.rp_settings().items():
        setattr(settings, name, value)
    beta.sign_in(at_beta, "alice")

    alice_alpha, alice_beta = signed_in_user(at_alpha), signed_in_user(at_beta)
    assert alice_alpha.email == alice_beta.email == "alice@erasmusmc.example"
    assert alice_alpha != alice_beta
    assert alice_beta.username == "alice-2"
    assert OIDCIdentity.objects.get(user=alice_beta).issuer.issuer == beta.issuer


def test_a_local_account_with_the_same_email_is_not_taken_over(alpha: Provider, client) -> None:
    local = User.objects.create_user("alice", email="alice@erasmusmc.example", password="local-password-1")
    alpha.sign_in(client, "alice")

    assert signed_in_user(client) != local
    assert not OIDCIdentity.objects.filter(user=local).exists()


def test_an_unverified_email_address_is_not_taken(alpha: Provider, client) -> None:
    alpha.sign_in(client, "casey")
    assert signed_in_user(client).email == ""
    assert OIDCIdentity.objects.get().claims["email_verified"] is False


def test_an_affiliation_claim_grants_no_role(alpha: Provider, client) -> None:
    alpha.sign_in(client, "bruno")
    user = signed_in_user(client)
    assert user.memberships.count() == 0
    assert policy.membership_facts(user).partner_roles == {}
    assert not user.is_staff and not user.is_superuser


def test_a_deactivated_account_is_refused(alpha: Provider) -> None:
    alpha.sign_in(Client(), "alice")
    User.objects.update(is_active=False)
    client = Client()
    assert_refused(alpha.sign_in(client, "alice"), "inactive_account")
    assert signed_in_user(client) is None


def test_deactivating_an_account_ends_its_open_sso_sessions(alpha: Provider, client) -> None:
    alpha.sign_in(client, "alice")
    assert client.get("/accounts/tokens/").status_code == 200
    User.objects.update(is_active=False)
    assert client.get("/accounts/tokens/").status_code == 302  # to the login page: the session no longer counts


# --- refusals ---------------------------------------------------------------------------------------------------


def test_a_callback_this_browser_did_not_start_is_refused(alpha: Provider) -> None:
    attacker, victim = Client(), Client()
    start = attacker.get("/accounts/oidc/start/")
    callback = alpha.authorize(start["Location"], "bruno")

    assert_refused(victim.get(callback), "state_mismatch")
    assert signed_in_user(victim) is None


def test_a_callback_is_used_once(alpha: Provider, client) -> None:
    start = client.get("/accounts/oidc/start/")
    callback = alpha.authorize(start["Location"], "alice")
    assert client.get(callback).status_code == 302
    client.logout()

    assert_refused(client.get(callback), "state_mismatch")
    assert signed_in_user(client) is None


def test_a_code_from_another_attempt_is_refused(alpha: Provider, client) -> None:
    """Code injection: the first attempt's code with the second attempt's state (and so its nonce and PKCE
    verifier). The provider refuses the exchange: the verifier does not match the first attempt's challenge."""
    first = client.get("/accounts/oidc/start/")
    second = client.get("/accounts/oidc/start/")
    code = parse_qs(urlsplit(alpha.authorize(first["Location"], "alice")).query)["code"][0]
    state = parse_qs(urlsplit(second["Location"]).query)["state"][0]

    assert_refused(client.get("/accounts/oidc/callback/", {"code": code, "state": state}), "provider_error")
    assert signed_in_user(client) is None


def test_the_provider_refuses_an_authorization_request_without_pkce(alpha: Provider, client) -> None:
    start = client.get("/accounts/oidc/start/")
    split = urlsplit(start["Location"])
    query = {k: v[0] for k, v in parse_qs(split.query).items() if not k.startswith("code_challenge")}
    callback = alpha.authorize(f"{alpha.issuer}/authorize/?" + "&".join(f"{k}={v}" for k, v in query.items()), "alice")

    assert parse_qs(urlsplit(callback).query)["error"] == ["invalid_request"]
    assert_refused(client.get(callback), "provider_error")


def test_a_provider_error_is_refused_with_a_page(alpha: Provider, client) -> None:
    start = client.get("/accounts/oidc/start/")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = client.get("/accounts/oidc/callback/", {"error": "access_denied", "state": state})

    assert_refused(response, "provider_error")
    assert state not in client.session["oidc_states"]
    assert AuditEvent.objects.get(action="sso.refuse.provider_error").after["detail"].startswith("access_denied")


def test_an_id_token_from_another_issuer_is_refused(alpha: Provider, beta: Provider, settings, client) -> None:
    """The configured issuer is alpha, but the endpoints (and keys) answering are beta's."""
    discovery = requests.get(beta.issuer + "/.well-known/openid-configuration", timeout=5).json()
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = discovery["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = discovery["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = discovery["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = discovery["jwks_uri"]

    assert_refused(beta.sign_in(client, "alice"), "wrong_issuer")
    assert signed_in_user(client) is None and not OIDCIdentity.objects.exists()


def test_a_discovery_document_of_another_issuer_is_refused(alpha: Provider, beta: Provider, settings, client) -> None:
    settings.OIDC_DISCOVERY_URL = beta.issuer + "/.well-known/openid-configuration"
    assert_refused(client.get("/accounts/oidc/start/"), "wrong_issuer")


def test_an_id_token_signed_by_a_key_the_provider_does_not_publish_is_refused(
    alpha: Provider, beta: Provider, settings, client
) -> None:
    """beta answers the flow but the keys trusted are alpha's (from alpha's discovery document)."""
    discovery = requests.get(beta.issuer + "/.well-known/openid-configuration", timeout=5).json()
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = discovery["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = discovery["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = discovery["userinfo_endpoint"]

    assert_refused(beta.sign_in(client, "alice"), "bad_signature")
    assert signed_in_user(client) is None and not OIDCIdentity.objects.exists()


def test_an_expired_id_token_is_refused(skewed: Provider, settings, client) -> None:
    for name, value in skewed.rp_settings().items():
        setattr(settings, name, value)
    response = skewed.sign_in(client, "alice")

    assert_refused(response, "expired")
    assert "the proof of sign-in had expired" in response.content.decode()
    assert signed_in_user(client) is None


def test_an_unreachable_provider_is_a_page_not_an_error(settings, client) -> None:
    settings.OIDC_ISSUER = "http://127.0.0.1:9/o"
    settings.OIDC_DISCOVERY_URL = "http://127.0.0.1:9/o/.well-known/openid-configuration"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    assert_refused(client.get("/accounts/oidc/start/"), "provider_unreachable", status=502)


def test_repeated_refusals_write_one_event_a_minute(alpha: Provider, client) -> None:
    for _ in range(3):
        assert client.get("/accounts/oidc/callback/", {"code": "x", "state": "forged"}).status_code == 400
    assert AuditEvent.objects.filter(action="sso.refuse.state_mismatch").count() == 1


# --- the ID token's checks, on real tokens ------------------------------------------------------------------------


def _real_id_token(provider: Provider, nonce: str) -> str:
    """An ID token issued by ``provider`` to this registry: the flow driven by hand, with a nonce of our choosing."""
    verifier = "v" * 64
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    redirect_uri = "http://testserver/accounts/oidc/callback/"
    params = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "scope": "openid email",
        "redirect_uri": redirect_uri,
        "state": "s",
        "nonce": nonce,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    url = requests.Request("GET", provider.issuer + "/authorize/", params=params).prepare().url
    code = parse_qs(urlsplit(provider.authorize(url, "alice")).query)["code"][0]
    token = requests.post(
        provider.issuer + "/token/",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "code_verifier": verifier,
        },
        timeout=10,
    )
    token.raise_for_status()
    return token.json()["id_token"]


def test_an_id_token_of_another_attempt_fails_the_nonce_check(alpha: Provider) -> None:
    id_token = _real_id_token(alpha, nonce="nonce-of-attempt-1")
    backend = SSOBackend()

    assert backend.verify_token(id_token, nonce="nonce-of-attempt-1")["iss"] == alpha.issuer
    with pytest.raises(SignInRefused) as refused:
        backend.verify_token(id_token, nonce="nonce-of-attempt-2")
    assert refused.value.code == "nonce_mismatch"


def test_a_forged_signature_under_the_providers_key_id_is_refused(alpha: Provider) -> None:
    """The provider's claims and key id, re-signed with a key it never had."""
    genuine = _real_id_token(alpha, nonce="n")
    claims = jwt.decode(genuine, options={"verify_signature": False})
    claims["sub"] = "someone-else"
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(claims, forger, algorithm="RS256", headers={"kid": jwt.get_unverified_header(genuine)["kid"]})

    with pytest.raises(SignInRefused) as refused:
        SSOBackend().verify_token(forged, nonce="n")
    assert refused.value.code == "bad_signature"
    assert json.loads(base64.urlsafe_b64decode(forged.split(".")[1] + "==")) == claims


# --- logout -------------------------------------------------------------------------------------------------------


def test_logout_ends_the_local_session_and_the_providers(alpha: Provider, client) -> None:
    person = requests.Session()
    start = client.get("/accounts/oidc/start/")
    client.get(alpha.authorize(start["Location"], "alice", person=person))
    assert signed_in_user(client) is not None

    response = client.post("/accounts/logout/")
    assert signed_in_user(client) is None
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert "You are signed out here" in response.content.decode()
    forward = response.context["provider_logout_url"]
    assert f'<meta http-equiv="refresh" content="0;url={escape(forward)}">' in response.content.decode()
    end_session = urlsplit(forward)
    assert f"{end_session.scheme}://{end_session.netloc}{end_session.path}" == alpha.issuer + "/logout/"
    assert parse_qs(end_session.query)["post_logout_redirect_uri"] == ["http://testserver/"]

    at_provider = person.get(forward, allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302 and at_provider.headers["Location"] == "http://testserver/"
    # The provider's session is over: a new sign-in asks for the password again.
    again = person.get(client.get("/accounts/oidc/start/")["Location"], allow_redirects=False, timeout=10)
    assert "/accounts/login/" in again.headers["Location"]


def test_a_password_user_signs_out_as_before(alpha: Provider, client) -> None:
    client.force_login(User.objects.create_user("admin", password="local-password-1"))
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_user(client) is None
