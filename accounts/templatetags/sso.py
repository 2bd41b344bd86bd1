"""``{% sso_login as sso %}``: whether the login page offers "Sign in with <institution>", and the name."""

from __future__ import annotations

from django import template
from django.conf import settings

from accounts.oidc import sso_enabled

register = template.Library()


@register.simple_tag
def sso_login() -> dict[str, object]:
    return {"enabled": sso_enabled(), "provider_name": settings.OIDC_PROVIDER_NAME}
