"""Verifying passports and visas from trusted brokers (``PASSPORT_TRUSTED_BROKERS``).

A visa is accepted only when: its issuer is a configured broker; its ``jku`` (if any) is that broker's JWKS URL
(an arbitrary ``jku`` is never fetched); its RS256/ES256 signature verifies with a key of the broker's JWKS
(fetched over http(s), cached for ``PASSPORT_JWKS_CACHE_SECONDS``); it has not expired; its audience, if it has
one, includes ``PASSPORT_AUDIENCE``; and it carries a ``ga4gh_visa_v1`` object. Anything else is refused with
the reason. Signature checks are joserfc's.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from joserfc import jws, jwt
from joserfc.errors import BadSignatureError, ExpiredTokenError, JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

ALGORITHMS = ["RS256", "ES256"]
SHOWN_TYPES = ("ResearcherStatus", "AffiliationAndRole", "AcceptedTermsAndPolicies", "LinkedIdentities")
_jwks_cache: dict[str, tuple[float, KeySet]] = {}


class VisaRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class TrustedBroker:
    issuer: str
    jwks_url: str


@dataclass(frozen=True)
class Visa:
    issuer: str
    subject: str
    visa_type: str
    value: str
    source: str
    by: str
    asserted: datetime.datetime
    expires_at: datetime.datetime
    token_sha256: str


def trusted_brokers() -> dict[str, TrustedBroker]:
    """``PASSPORT_TRUSTED_BROKERS``: ``issuer=jwks_url`` pairs."""
    brokers = {}
    for entry in settings.PASSPORT_TRUSTED_BROKERS:
        issuer, _, jwks_url = entry.partition("=")
        brokers[issuer.strip()] = TrustedBroker(issuer=issuer.strip(), jwks_url=jwks_url.strip())
    return brokers


def broker_keys(broker: TrustedBroker) -> KeySet:
    cached = _jwks_cache.get(broker.jwks_url)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    try:
        with urllib.request.urlopen(broker.jwks_url, timeout=10) as response:
            keys = KeySet.import_key_set(json.loads(response.read(1_000_000)))
    except (OSError, ValueError) as error:
        raise VisaRefused(
            f"The keys of {broker.issuer} could not be fetched from {broker.jwks_url}: {error}."
        ) from error
    _jwks_cache[broker.jwks_url] = (time.monotonic() + settings.PASSPORT_JWKS_CACHE_SECONDS, keys)
    return keys


def _unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        compact = jws.extract_compact(token.encode())
        return compact.protected, json.loads(compact.payload)
    except (JoseError, ValueError) as error:
        raise VisaRefused("Not a signed JWT (JWS compact serialisation).") from error


def verify_token(token: str, *, now: int | None = None) -> tuple[TrustedBroker, dict[str, Any]]:
    """Verify a passport or visa JWT of a trusted broker; returns the broker and the verified claims."""
    header, payload = _unverified(token)
    issuer = str(payload.get("iss", ""))
    broker = trusted_brokers().get(issuer)
    if broker is None:
        raise VisaRefused(f"The issuer “{issuer or '(none)'}” is not a trusted broker.")
    if "jku" in header and header["jku"] != broker.jwks_url:
        raise VisaRefused(f"The token's jku {header['jku']} is not the JWKS URL configured for {issuer}.")
    try:
        decoded = jwt.decode(token, broker_keys(broker), algorithms=ALGORITHMS)
    except BadSignatureError as error:
        raise VisaRefused(f"The signature does not verify with the keys of {issuer}.") from error
    except JoseError as error:
        raise VisaRefused(f"The token cannot be verified: {error.description or error.error}.") from error
    registry = JWTClaimsRegistry(now=now, leeway=60, exp={"essential": True}, iss={"essential": True, "value": issuer})
    try:
        registry.validate(decoded.claims)
    except ExpiredTokenError as error:
        raise VisaRefused("The token has expired.") from error
    except JoseError as error:
        raise VisaRefused(f"The token's claims are not valid: {error.description or error.error}.") from error
    audience = decoded.claims.get("aud")
    if audience is not None:
        audiences = [audience] if isinstance(audience, str) else list(audience)
        if settings.PASSPORT_AUDIENCE not in audiences:
            raise VisaRefused(f"The token is for {', '.join(audiences)}, not for {settings.PASSPORT_AUDIENCE}.")
    return broker, decoded.claims


def verify_visa(token: str, *, now: int | None = None) -> Visa:
    broker, claims = verify_token(token, now=now)
    visa = claims.get("ga4gh_visa_v1")
    if not isinstance(visa, dict) or not {"type", "asserted", "value", "source"} <= set(visa):
        raise VisaRefused("The token carries no ga4gh_visa_v1 object with type, asserted, value and source.")
    utc = datetime.UTC
    return Visa(
        issuer=broker.issuer,
        subject=str(claims.get("sub", "")),
        visa_type=str(visa["type"]),
        value=str(visa["value"])[:500],
        source=str(visa["source"])[:500],
        by=str(visa.get("by", ""))[:40],
        asserted=datetime.datetime.fromtimestamp(int(visa["asserted"]), tz=utc),
        expires_at=datetime.datetime.fromtimestamp(int(claims["exp"]), tz=utc),
        token_sha256=hashlib.sha256(token.encode()).hexdigest(),
    )


def verify_passport(token: str, *, now: int | None = None) -> tuple[list[Visa], list[str]]:
    """A passport JWT (``ga4gh_passport_v1``: a list of visa JWTs) from a trusted broker: the visas that verify,
    and the reasons each other visa was refused. A passport that does not itself verify raises VisaRefused."""
    _, claims = verify_token(token, now=now)
    tokens = claims.get("ga4gh_passport_v1")
    if not isinstance(tokens, Sequence) or isinstance(tokens, str):
        raise VisaRefused("The passport has no ga4gh_passport_v1 list of visas.")
    accepted, refused = [], []
    for index, visa_token in enumerate(tokens, start=1):
        try:
            accepted.append(verify_visa(str(visa_token), now=now))
        except VisaRefused as refusal:
            refused.append(f"Visa {index}: {refusal.reason}")
    return accepted, refused
