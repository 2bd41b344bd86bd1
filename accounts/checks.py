"""System checks for the single sign-on configuration; each message says how to fix it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register


@register()
def check_sso_configuration(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """``accounts.E001``: half a configuration (SSO would be off, or every sign-in would fail at the token endpoint)."""
    configured = {
        name: bool(getattr(settings, name)) for name in ("OIDC_ISSUER", "OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET")
    }
    if any(configured.values()) and not all(configured.values()):
        missing = ", ".join(name for name, present in configured.items() if not present)
        return [
            Error(
                f"Single sign-on is half configured: {missing} missing.",
                hint="Set OIDC_ISSUER, OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET (or _FILE) together, or none.",
                id="accounts.E001",
            )
        ]
    return []


@register(deploy=True)
def check_sso_transport(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """``accounts.W001``: an issuer reached over plain HTTP in production."""
    if settings.OIDC_ISSUER and not settings.OIDC_ISSUER.startswith("https://"):
        return [
            Warning(
                "OIDC_ISSUER does not use https: codes, tokens and the client secret would travel in clear.",
                hint="Use the provider's https issuer URL.",
                id="accounts.W001",
            )
        ]
    return []
