"""Single sign-on through an OpenID Connect provider: the relying party, on mozilla-django-oidc.

mozilla-django-oidc runs the authorization-code flow (state, nonce and PKCE S256 kept per attempt in the session,
the code exchanged at the token endpoint, the ID token's signature checked against the provider's JWKS). This
module adds what the library leaves to its user, each written once here:

- **configuration** from the environment (``OIDC_ISSUER``, client id and secret, scopes), with the endpoints taken
  from the issuer's discovery document (whose ``issuer`` must be the configured one, OIDC Discovery §4.3);
- **ID token validation** with PyJWT beyond the signature: ``iss`` is the configured issuer, ``aud`` holds our
  client id, ``exp``/``iat`` with ``OIDC_CLOCK_SKEW_SECONDS`` of leeway, the nonce of this attempt; userinfo
  must be about the same ``sub`` (OIDC Core §5.3.2);
- **the account**: ``iss`` + ``sub`` of the verified ID token find or create it (``accounts.services.sso_sign_in``),
  never the e-mail address;
- **refusals** as :class:`SignInRefused` with a reason code, which the callback view turns into a page and an
  audit event.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

# The library's endpoint settings, and the discovery document's name for each.
_DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
}
_REQUIRED_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")


class SignInRefused(Exception):
    """A sign-in that must not succeed. ``code`` names the reason (audited); ``message`` is what the person sees."""

    def __init__(self, code: str, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.detail = detail


def sso_enabled() -> bool:
    """True when an issuer and a client id are configured; otherwise every SSO page answers 404."""
    return bool(settings.OIDC_ISSUER and settings.OIDC_RP_CLIENT_ID)


def provider_metadata() -> dict[str, Any]:
    """The issuer's discovery document, cached for ``OIDC_DISCOVERY_CACHE_SECONDS``.

    Refuses (``provider_unreachable``) when it cannot be fetched or lacks an endpoint the flow needs, and
    (``wrong_issuer``) when it names another issuer than ``OIDC_ISSUER``: a document that does is not this
    provider's, whatever its URL.
    """
    url = settings.OIDC_DISCOVERY_URL
    key = f"accounts.oidc.discovery:{url}"
    metadata = cache.get(key)
    if metadata is None:
        try:
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            metadata = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise SignInRefused(
                "provider_unreachable",
                _("The sign-in service of your institution cannot be reached. Try again in a few minutes."),
                detail=f"discovery {url}: {exc}",
            ) from exc
        missing = [name for name in _REQUIRED_ENDPOINTS if not metadata.get(name)]
        if not isinstance(metadata, dict) or missing:
            raise SignInRefused(
                "provider_unreachable",
                _("The sign-in service of your institution is not configured correctly."),
                detail=f"discovery {url} lacks {', '.join(missing)}",
            )
        cache.set(key, metadata, settings.OIDC_DISCOVERY_CACHE_SECONDS)
    if metadata.get("issuer") != settings.OIDC_ISSUER:
        raise SignInRefused(
            "wrong_issuer",
            _("The sign-in service answered as a different provider than the one this registry trusts."),
            detail=f"discovery names issuer {metadata.get('issuer')!r}, expected {settings.OIDC_ISSUER!r}",
        )
    return metadata


def endpoint_setting(name: str, *default: Any) -> Any:
    """A mozilla-django-oidc setting: an endpoint from ``OIDC_OP_*`` when set, else from discovery; others as set."""
    if name in _DISCOVERED:
        return getattr(settings, name, "") or provider_metadata().get(_DISCOVERED[name], "")
    if default:
        return getattr(settings, name, default[0])
    return getattr(settings, name)


class SSOBackend(OIDCAuthenticationBackend):
    """The authentication backend of the OpenID Connect callback.

    Answers only ``authenticate(request, nonce=…, code_verifier=…)`` from the callback of a configured SSO (any
    other call, a password sign-in included, gets None). Guarantees: the account returned is the one of the ID
    token's verified ``iss`` + ``sub``; anything else raises :class:`SignInRefused`.
    """

    get_settings = staticmethod(endpoint_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The library reads every endpoint here; Django builds a backend for each session's user on every request,
        # so the endpoints (a discovery fetch) are read only when a sign-in needs them (the properties below).
        from django.contrib.auth import get_user_model

        self.UserModel = get_user_model()

    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: endpoint_setting("OIDC_OP_TOKEN_ENDPOINT"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: endpoint_setting("OIDC_OP_USER_ENDPOINT"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: endpoint_setting("OIDC_OP_JWKS_ENDPOINT"))
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_RP_CLIENT_SECRET)
    OIDC_RP_SIGN_ALGO = property(lambda self: settings.OIDC_RP_SIGN_ALGO)
    OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> AbstractBaseUser | None:
        if request is None or not sso_enabled() or "nonce" not in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except requests.HTTPError as exc:
            raise SignInRefused(
                "provider_error",
                _("Your institution's sign-in service refused to complete the sign-in."),
                detail=str(exc),
            ) from exc
        except requests.RequestException as exc:
            raise SignInRefused(
                "provider_unreachable",
                _("The sign-in service of your institution cannot be reached. Try again in a few minutes."),
                detail=str(exc),
            ) from exc

    def get_user(self, user_id: Any) -> AbstractBaseUser | None:
        # The library's get_user returns inactive users too; Django's refuses them, so a deactivated account's
        # open sessions end at their next request, as with a password sign-in.
        return ModelBackend.get_user(self, user_id)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The ID token's claims, once its signature (a key of the provider's JWKS), issuer, audience, expiry and,
        for the ID token of a sign-in, nonce are checked. Refusal codes: ``bad_signature``, ``wrong_issuer``,
        ``wrong_audience``, ``expired``, ``nonce_mismatch``, ``bad_token``."""
        algorithm = self.OIDC_RP_SIGN_ALGO
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as exc:
            raise _refused_token("bad_token", f"unreadable ID token: {exc}") from exc
        if header.get("alg") != algorithm:
            raise _refused_token("bad_signature", f"ID token signed with {header.get('alg')!r}, expected {algorithm}")
        try:
            key = self.retrieve_matching_jwk(token)
        except SuspiciousOperation as exc:
            raise _refused_token(
                "bad_signature", f"ID token key {header.get('kid')!r} is not one the provider publishes"
            ) from exc
        try:
            payload = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=settings.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER,
                leeway=settings.OIDC_CLOCK_SKEW_SECONDS,
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.InvalidSignatureError as exc:
            raise _refused_token("bad_signature", "ID token signature does not verify") from exc
        except jwt.ExpiredSignatureError as exc:
            raise SignInRefused(
                "expired",
                _(
                    "The sign-in took too long or your institution's clock is off: the proof of sign-in had "
                    "expired. Sign in again."
                ),
                detail="ID token expired",
            ) from exc
        except jwt.InvalidIssuerError as exc:
            issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
            raise SignInRefused(
                "wrong_issuer",
                _("The proof of sign-in comes from a different provider than the one this registry trusts."),
                detail=f"ID token issuer {issuer!r}, expected {settings.OIDC_ISSUER!r}",
            ) from exc
        except jwt.InvalidAudienceError as exc:
            raise _refused_token("wrong_audience", "ID token is not addressed to this registry") from exc
        except jwt.InvalidTokenError as exc:
            raise _refused_token("bad_token", f"ID token refused: {exc}") from exc
        if "nonce" in kwargs and payload.get("nonce") != kwargs["nonce"]:
            raise SignInRefused(
                "nonce_mismatch",
                _("This sign-in does not belong to the attempt your browser started. Sign in again."),
                detail="ID token nonce differs from this attempt's",
            )
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> AbstractBaseUser:
        from accounts.services import sso_sign_in

        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload["sub"]:
            raise _refused_token("bad_token", "userinfo describes another subject than the ID token")
        # The ID token's iss and sub are the verified key; userinfo adds the profile and affiliation claims.
        claims = {**userinfo, "iss": payload["iss"], "sub": payload["sub"]}
        return sso_sign_in(issuer=payload["iss"], subject=payload["sub"], claims=claims)


def _refused_token(code: str, detail: str) -> SignInRefused:
    return SignInRefused(
        code, _("Your institution's proof of sign-in could not be verified, so you are not signed in."), detail=detail
    )


def provider_logout_url(request: HttpRequest) -> str:
    """Where sign-out sends the browser (accounts.views.sign_out): to the provider's
    ``end_session_endpoint`` (RP-initiated logout, with the ID token as hint and back to our home page) when the
    person signed in through SSO and the provider advertises one; otherwise to ``LOGOUT_REDIRECT_URL``."""
    home = reverse(settings.LOGOUT_REDIRECT_URL)
    id_token = request.session.get("oidc_id_token")
    if not (sso_enabled() and id_token):
        return home
    try:
        end_session = endpoint_setting("OIDC_OP_LOGOUT_ENDPOINT")
    except SignInRefused:
        return home  # the local session ends anyway; the provider's cannot be reached
    if not end_session:
        return home
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(home),
        }
    )
    return f"{end_session}?{query}"
