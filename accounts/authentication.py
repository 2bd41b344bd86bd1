"""DRF authentication classes for API clients."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, BasicAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from accounts.lockout import retry_after_seconds
from accounts.models import PersonalAccessToken, TokenScope
from accounts.tokens import digest_of


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
                    detail=_("Too many failed sign-in attempts from this address: try again after the cool-off."),
                ) from None
            raise


class TokenRejected(exceptions.APIException):
    """401 for a bad token, whatever the view's first authentication class (DRF would turn an
    ``AuthenticationFailed`` into 403 when that class, the session, names no ``WWW-Authenticate`` scheme)."""

    status_code = 401
    default_code = "authentication_failed"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.auth_header = f'Bearer realm="api", error="invalid_token", error_description="{detail}"'


class PersonalAccessTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer hpat_…``: a personal access token (accounts.models.PersonalAccessToken).

    Guarantees: an unknown, revoked or expired token is refused with 401 (never treated as anonymous); a token of
    scope ``read`` is refused with 403 on any method but GET, HEAD and OPTIONS, whatever the view allows; the
    user must still be active. ``request.auth`` is the token.
    """

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, PersonalAccessToken] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise TokenRejected("Give the token as: Authorization: Bearer <token>.")
        try:
            secret = header[1].decode()
        except UnicodeDecodeError:
            raise TokenRejected(_("The token is not valid.")) from None
        token = PersonalAccessToken.objects.select_related("user").filter(digest=digest_of(secret)).first()
        if token is None or not token.user.is_active:
            raise TokenRejected(_("The token is not valid."))
        if token.revoked_at is not None:
            raise TokenRejected(_("The token has been revoked."))
        now = timezone.now()
        if token.expires_at <= now:
            raise TokenRejected(_("The token has expired."))
        if token.scope == TokenScope.READ and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied(_("This token's scope is read: it cannot change anything."))
        # At most one write a minute per token: "last used" is for the owner's list, not an audit trail.
        if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
            PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'
