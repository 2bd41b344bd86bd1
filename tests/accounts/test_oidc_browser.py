"""Single sign-on in Chromium against the real provider: the authorization-code flow with PKCE, the refusal page,
and sign-out at both ends. The browser fixtures are tests/browser/conftest.py's, imported (hence F811 when a
test names them)."""
# ruff: noqa: F811

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from accounts.models import OIDCIdentity
from tests.accounts.conftest import PASSWORD, Provider
from tests.browser.conftest import Site, browser_type_launch_args, reference_data, site  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.oidc, pytest.mark.django_db(transaction=True)]


def sign_in_at_provider(site: Site, provider_name: str, username: str) -> None:
    page = site.page
    page.get_by_role("link", name=f"Sign in with {provider_name}").click()
    expect(page.get_by_role("heading", name=re.compile("Test identity provider"))).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in at the provider").click()


def test_sign_in_with_the_institution_and_sign_out_at_both_ends(site: Site, alpha: Provider, reference_data) -> None:
    seen: list[str] = []
    site.page.on("request", lambda request: seen.append(request.url))
    page = site.open("/accounts/login/?next=/partners/")

    sign_in_at_provider(site, "Provider alpha", "alice")

    expect(page).to_have_url(site.base_url + "/partners/")
    expect(page.get_by_text("Signed in as alice")).to_be_visible()
    authorize = parse_qs(urlsplit(next(url for url in seen if url.startswith(alpha.issuer + "/authorize/"))).query)
    callback = parse_qs(urlsplit(next(url for url in seen if "/accounts/oidc/callback/" in url)).query)
    assert authorize["code_challenge_method"] == ["S256"] and authorize["code_challenge"][0]
    assert authorize["nonce"][0] and callback["state"] == authorize["state"]
    assert OIDCIdentity.objects.get().issuer.issuer == alpha.issuer

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(site.base_url + "/")
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    assert any(url.startswith(alpha.issuer + "/logout/") for url in seen)
    # The provider's session ended too: signing in again asks for the password.
    site.open("/accounts/login/")
    page.get_by_role("link", name="Sign in with Provider alpha").click()
    expect(page.get_by_label("Password")).to_be_visible()


def test_an_expired_id_token_ends_on_the_refusal_page(site: Site, skewed: Provider, settings, reference_data) -> None:
    for name, value in skewed.rp_settings().items():
        setattr(settings, name, value)
    page = site.open("/accounts/login/")

    sign_in_at_provider(site, "Provider skewed", "alice")

    expect(page.get_by_role("heading", level=1)).to_have_text("You are not signed in")
    expect(page.get_by_role("alert")).to_contain_text("the proof of sign-in had expired")
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    assert not OIDCIdentity.objects.exists()
