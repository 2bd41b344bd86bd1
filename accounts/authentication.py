"""DRF authentication classes for API clients."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.authentication import BasicAuthentication
from rest_framework.request import Request

from accounts.lockout import retry_after_seconds


class LockoutAwareBasicAuthentication(BasicAuthentication):
    """HTTP Basic under the login form's brute-force lockout (django-axes).

    Axes's backend refuses a locked-out username+address or address before the password is even checked and flags
    the request; this class turns that flag into ``429`` with ``Retry-After`` (DRF's ``Throttled``), so a client
    learns it is locked out rather than that its password is wrong, and the right password is refused too until
    the cool-off ends.
    """

    def authenticate_credentials(self, userid: str, password: str, request: Request | None = None) -> Any:
        try:
            return super().authenticate_credentials(userid, password, request)
        except exceptions.AuthenticationFailed:
            if request is not None and getattr(request, "axes_locked_out", False):
                raise exceptions.Throttled(
                    wait=retry_after_seconds(request),
                    detail="Too many failed sign-in attempts from this address: try again after the cool-off.",
                ) from None
            raise
