"""Single sign-on is off unless configured; when configured, password sign-in still works (no provider needed)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core import checks

pytestmark = pytest.mark.django_db

SSO = {
    "OIDC_ISSUER": "https://login.erasmusmc.example",
    "OIDC_DISCOVERY_URL": "https://login.erasmusmc.example/.well-known/openid-configuration",
    "OIDC_RP_CLIENT_ID": "harmony",
    "OIDC_PROVIDER_NAME": "Erasmus MC",
}


def test_without_configuration_the_login_page_offers_passwords_only(client) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with" not in page
    assert client.get("/accounts/oidc/start/").status_code == 404
    assert client.get("/accounts/oidc/callback/", {"code": "c", "state": "s"}).status_code == 404


def test_with_configuration_the_login_page_offers_the_institution(client, settings) -> None:
    for name, value in SSO.items():
        setattr(settings, name, value)
    page = client.get("/accounts/login/", {"next": "/curate/"}).content.decode()
    assert "Sign in with Erasmus MC" in page
    assert 'href="/accounts/oidc/start/?next=/curate/"' in page


def test_password_sign_in_still_works_with_sso_configured(client, settings) -> None:
    for name, value in SSO.items():
        setattr(settings, name, value)
    User.objects.create_user("admin", password="local-password-1")
    response = client.post("/accounts/login/", {"username": "admin", "password": "local-password-1"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_half_a_configuration_fails_the_system_check(settings) -> None:
    settings.OIDC_ISSUER = "https://login.erasmusmc.example"
    settings.OIDC_RP_CLIENT_ID = "harmony"
    settings.OIDC_RP_CLIENT_SECRET = ""
    errors = [message for message in checks.run_checks() if message.id == "accounts.E001"]
    assert len(errors) == 1 and "OIDC_RP_CLIENT_SECRET missing" in errors[0].msg
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    assert not [message for message in checks.run_checks() if message.id == "accounts.E001"]


def test_a_plain_http_issuer_is_flagged_by_the_deploy_check(settings) -> None:
    settings.OIDC_ISSUER = "http://login.erasmusmc.example"
    assert [m.id for m in checks.run_checks(include_deployment_checks=True) if m.id.startswith("accounts.")] == [
        "accounts.E001",
        "accounts.W001",
    ]
