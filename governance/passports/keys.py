"""The visa signing keys: a JWKS with private RSA keys, from ``PASSPORT_SIGNING_JWKS`` (an environment secret,
or ``PASSPORT_SIGNING_JWKS_FILE``) or the file ``PASSPORT_SIGNING_KEYS_PATH``. The first key signs; every key is
published at ``/.well-known/jwks.json``, so visas signed before a rotation still verify until they expire.

``manage.py passport_keys --generate`` writes a first key; ``--rotate`` puts a new key first and keeps the others
(``--retire KID`` removes one once its visas have expired). With ``DEBUG=1`` and no key configured, a development
key is generated under ``VAR_DIR`` on first use (the demo uses it).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from joserfc.jwk import KeySet, RSAKey

KEY_BITS = 2048


class SigningKeysMissing(Exception):
    pass


def _keys_path() -> Path:
    return Path(settings.PASSPORT_SIGNING_KEYS_PATH)


def new_key() -> RSAKey:
    """A new RSA signing key; its ``kid`` is its RFC 7638 thumbprint, so two keys never share one."""
    key = RSAKey.generate_key(KEY_BITS, parameters={"use": "sig", "alg": "RS256"})
    return RSAKey.import_key(key.as_dict(private=True) | {"kid": key.thumbprint()})


def write_keys(keys: list[dict[str, Any]]) -> Path:
    path = _keys_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"keys": keys}, indent=2))
    path.chmod(0o600)
    signing_keys.cache_clear()
    return path


def stored_keys() -> list[dict[str, Any]]:
    path = _keys_path()
    return json.loads(path.read_text())["keys"] if path.exists() else []


@lru_cache(maxsize=1)
def signing_keys() -> KeySet:
    """The configured private keys, the signing key first. Raises SigningKeysMissing if none is configured."""
    if settings.PASSPORT_SIGNING_JWKS:
        return KeySet.import_key_set(json.loads(settings.PASSPORT_SIGNING_JWKS))
    keys = stored_keys()
    if not keys and settings.DEBUG:
        keys = [new_key().as_dict(private=True)]
        write_keys(keys)
    if not keys:
        raise SigningKeysMissing(
            "No visa signing key: set PASSPORT_SIGNING_JWKS (or _FILE), or run `manage.py passport_keys --generate`."
        )
    return KeySet.import_key_set({"keys": keys})


def active_key() -> RSAKey:
    return signing_keys().keys[0]


def public_jwks() -> dict[str, Any]:
    return {"keys": [key.as_dict(private=False) | {"use": "sig", "alg": "RS256"} for key in signing_keys().keys]}
