"""The real OpenID Connect providers of ``scripts/oidc.sh`` (django-oauth-toolkit on 127.0.0.1), and a person's
side of a sign-in at them, driven over HTTP with ``requests`` (the browser tests use Chromium instead).

Tests that need a provider are marked ``oidc`` and *fail* (never skip) when it does not answer: start it with
``bash scripts/oidc.sh`` (``make services``).
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from oidc_provider.people import CLIENT_ID, CLIENT_SECRET, PASSWORD

_BASE_PORT = int(os.environ.get("OIDC_PROVIDER_PORT", "9830"))  # as scripts/oidc.sh
PORTS = {"alpha": _BASE_PORT, "beta": _BASE_PORT + 1, "skewed": _BASE_PORT + 2}


def issuer_of(instance: str) -> str:
    return f"http://127.0.0.1:{PORTS[instance]}/o"


@dataclass
class Provider:
    """One provider instance and a browser-less person at it (their own cookie jar)."""

    instance: str

    @property
    def issuer(self) -> str:
        return issuer_of(self.instance)

    def rp_settings(self) -> dict[str, object]:
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_DISCOVERY_URL": self.issuer + "/.well-known/openid-configuration",
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_PROVIDER_NAME": f"Provider {self.instance}",
        }

    def authorize(self, authorize_url: str, username: str, *, person: requests.Session | None = None) -> str:
        """Sign ``username`` in at the provider and follow its redirects up to the relying party's callback;
        returns that callback URL (path and query) without calling it."""
        person = person or requests.Session()
        response = person.get(authorize_url, allow_redirects=False, timeout=10)
        if response.status_code == 302 and "/accounts/login/" in response.headers["Location"]:
            login_url = _absolute(self.issuer, response.headers["Location"])
            form = person.get(login_url, timeout=10)
            csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
            nxt = parse_qs(urlsplit(login_url).query)["next"][0]
            response = person.post(
                login_url,
                data={"csrfmiddlewaretoken": csrf, "username": username, "password": PASSWORD, "next": nxt},
                allow_redirects=False,
                timeout=10,
            )
            assert response.status_code == 302, response.text[:500]
            response = person.get(_absolute(self.issuer, response.headers["Location"]), allow_redirects=False)
        assert response.status_code == 302, response.text[:500]
        callback = urlsplit(response.headers["Location"])
        assert callback.netloc == "testserver", response.headers["Location"]
        return f"{callback.path}?{callback.query}"

    def sign_in(self, client: Client, username: str, **start_params: str):
        """The whole flow as the relying party's test client and the person see it; returns the callback's
        response (a redirect when signed in, the refusal page otherwise)."""
        start = client.get("/accounts/oidc/start/", start_params)
        assert start.status_code == 302, start.content[:500]
        return client.get(self.authorize(start["Location"], username))


def _absolute(issuer: str, location: str) -> str:
    split = urlsplit(issuer)
    return location if location.startswith("http") else f"{split.scheme}://{split.netloc}{location}"


def _require(instance: str) -> None:
    try:
        requests.get(issuer_of(instance) + "/.well-known/openid-configuration", timeout=3).raise_for_status()
    except requests.RequestException as exc:
        pytest.fail(
            f"The OpenID provider {instance} at {issuer_of(instance)} does not answer ({exc}): "
            "start it with `bash scripts/oidc.sh` (make services).",
            pytrace=False,
        )


@pytest.fixture
def alpha(settings) -> Provider:
    """The home institution's provider, configured as this registry's SSO."""
    _require("alpha")
    provider = Provider("alpha")
    for name, value in provider.rp_settings().items():
        setattr(settings, name, value)
    return provider


@pytest.fixture
def beta() -> Provider:
    _require("beta")
    return Provider("beta")


@pytest.fixture
def skewed() -> Provider:
    _require("skewed")
    return Provider("skewed")
