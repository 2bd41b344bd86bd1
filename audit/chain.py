"""The keyed hash chain: its key, the digest of one event, and verification of the whole chain.

Every event stores ``prev_hash`` (the previous event's hash, or 64 zeros for the first) and
``hash`` = HMAC-SHA256(key, prev_hash + canonical JSON of its content). The key is not in the
database, so someone who can write the table (its owner, a superuser, a restored backup) can edit,
delete, reorder or append rows but cannot compute hashes that verify: a re-hashed edit and an
append with a valid plain SHA-256 are both reported.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

GENESIS_HASH = "0" * 64
# How harmony/settings.py marks the key it derives from SECRET_KEY when DEBUG=1 and none is configured.
DEVELOPMENT_KEY_PREFIX = "insecure-development-audit-key:"


class ChainedEvent(Protocol):
    """What the digest reads: the fields of ``AuditEvent`` (historical models in migrations qualify)."""

    pk: Any
    created_at: datetime.datetime
    actor_id: int | None
    actor_username: str
    action: str
    object_type: str
    object_id: str
    access_request_id: int | None
    before: Any
    after: Any
    prev_hash: str
    hash: str


def using_development_key() -> bool:
    """True when the chain runs on the insecure development key that settings derive from SECRET_KEY."""
    return settings.AUDIT_HMAC_KEY.startswith(DEVELOPMENT_KEY_PREFIX)


def chain_key() -> bytes:
    """The HMAC key of the chain: ``AUDIT_HMAC_KEY`` (or the file of ``AUDIT_HMAC_KEY_FILE``).

    A missing key is a configuration error (system check ``audit.E001``), never a silent default.
    """
    if not settings.AUDIT_HMAC_KEY:
        raise ImproperlyConfigured("AUDIT_HMAC_KEY (or AUDIT_HMAC_KEY_FILE) must be set when DEBUG=0.")
    return settings.AUDIT_HMAC_KEY.encode("utf-8")


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def json_safe(value: Any) -> Any:
    """What the JSON column will give back on reading, so the hash is recomputable."""
    return json.loads(canonical_json(value or {}))


def timestamp(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def keyed_digest(message: str, key: bytes | None = None) -> str:
    return hmac.new(key if key is not None else chain_key(), message.encode("utf-8"), hashlib.sha256).hexdigest()


def event_digest(event: ChainedEvent, key: bytes | None = None) -> str:
    """The keyed hash of ``event`` given its ``prev_hash``: what its ``hash`` must be."""
    content = {
        "created_at": timestamp(event.created_at),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": str(event.object_id),
        "access_request_id": event.access_request_id,
        "before": event.before,
        "after": event.after,
    }
    return keyed_digest(event.prev_hash + canonical_json(content), key)


@dataclass(frozen=True)
class ChainProblem:
    event_id: int | None
    message: str


@dataclass(frozen=True)
class ChainHead:
    """Where an intact chain ends: its newest event's id and hash, and how many events it has.

    ``watched`` is the hash and position (1-based) of the event ``verify_chain`` was asked to watch,
    or None when that event is not in the chain.
    """

    event_id: int | None
    hash: str
    count: int
    watched: tuple[str, int] | None = None


def verify_chain(events: Iterable[ChainedEvent], *, watch_id: int | None = None) -> ChainProblem | ChainHead:
    """Recompute the chain over ``events`` in id order: the first bad event, or the head of an intact chain."""
    key = chain_key()
    expected_prev = GENESIS_HASH
    last_id: int | None = None
    count = 0
    watched: tuple[str, int] | None = None
    for event in events:
        if event.prev_hash != expected_prev:
            return ChainProblem(
                event.pk, f"event #{event.pk} ({event.action}): prev_hash does not match the event before it"
            )
        if not hmac.compare_digest(event_digest(event, key), event.hash):
            return ChainProblem(event.pk, f"event #{event.pk} ({event.action}): content does not match its hash")
        expected_prev = event.hash
        last_id = event.pk
        count += 1
        if event.pk == watch_id:
            watched = (event.hash, count)
    return ChainHead(last_id, expected_prev, count, watched)
