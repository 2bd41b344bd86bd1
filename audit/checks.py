"""System checks of the audit trail's configuration; each message says how to fix it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from audit.chain import using_development_key


@register()
def check_chain_key(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if not settings.DEBUG and not settings.AUDIT_HMAC_KEY:
        return [
            Error(
                "The audit trail has no HMAC key: with DEBUG=0 nothing can be audited.",
                hint=(
                    "Set AUDIT_HMAC_KEY (or AUDIT_HMAC_KEY_FILE) to a long random secret kept outside the "
                    "database, e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`."
                ),
                id="audit.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_development_key(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    if using_development_key():
        return [
            Warning(
                "The audit chain uses the INSECURE development key derived from SECRET_KEY.",
                hint="Set AUDIT_HMAC_KEY (or AUDIT_HMAC_KEY_FILE) to a secret of its own.",
                id="audit.W001",
            )
        ]
    return []
