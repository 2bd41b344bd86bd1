"""System check: production needs a visa signing key (passports.E001)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from governance.passports.keys import SigningKeysMissing, signing_keys


@register(deploy=True)
def signing_key_configured(app_configs: Any, **kwargs: Any) -> list[Error]:
    try:
        signing_keys()
    except SigningKeysMissing as error:
        return [Error(str(error), id="passports.E001")]
    except ValueError as error:
        return [Error(f"The visa signing keys cannot be read: {error}", id="passports.E002")]
    return []
