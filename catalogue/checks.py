"""System checks for catalogue misconfiguration; each message says how to fix it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def check_authentication_backends(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if "guardian.backends.ObjectPermissionBackend" not in settings.AUTHENTICATION_BACKENDS:
        return [
            Error(
                "Object permissions are not enforced.",
                hint="Add 'guardian.backends.ObjectPermissionBackend' to AUTHENTICATION_BACKENDS after ModelBackend.",
                id="catalogue.E001",
            )
        ]
    return []
