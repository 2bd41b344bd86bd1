"""API rate limits (DRF throttles), with rates read from ``settings.API_THROTTLE_RATES`` at request time.

DRF's own classes copy their rates when the module is imported, so a test could not lower them; these read
them per request. Every API view gets all three: ``anon`` (per address, anonymous clients), ``user`` (per
account) and ``write`` (per account or address, unsafe methods only, stricter because writes cost more and
are what a compromised client abuses). Counters live in Django's default cache, local memory per process: with
several worker processes each counts its own share, so the effective limit is the rate times the workers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

if TYPE_CHECKING:  # rest_framework.views imports this module (DEFAULT_THROTTLE_CLASSES) while it loads
    from rest_framework.request import Request
    from rest_framework.views import APIView

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class _SettingsRate:
    scope: str

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_SettingsRate, AnonRateThrottle):
    """Anonymous clients, counted per address."""


class UserThrottle(_SettingsRate, UserRateThrottle):
    """Signed-in clients, counted per account (anonymous ones per address, but AnonThrottle binds first)."""


class WriteThrottle(_SettingsRate, SimpleRateThrottle):
    """POST, PUT, PATCH and DELETE, counted per account (or per address when anonymous)."""

    scope = "write"

    def allow_request(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: APIView) -> str:
        ident = request.user.pk if request.user and request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
