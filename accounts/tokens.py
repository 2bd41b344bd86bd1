"""Making and recognising token secrets. A secret is 32 random bytes (URL-safe Base64) after a fixed ``hpat_``
prefix, so secret scanners can spot a leaked one; it has far more entropy than a password, so a fast hash
(SHA-256) is enough at rest: a stolen digest cannot be reversed or guessed."""

from __future__ import annotations

import hashlib
import secrets

SECRET_PREFIX = "hpat_"
PREFIX_LENGTH = 12  # "hpat_" and 7 characters of the random part: enough to tell a user's tokens apart


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
