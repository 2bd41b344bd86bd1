"""Writing and verifying the hash-chained audit trail.

Every event stores ``prev_hash`` (the previous event's hash, or 64 zeros for the
first) and ``hash`` = SHA-256(prev_hash + canonical JSON of its content). Editing,
deleting or reordering a row breaks the chain from that row on, which
``verify_chain`` (``manage.py audit_verify``) reports.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, models
from django.utils import timezone

from governance.models import AuditEvent

GENESIS_HASH = "0" * 64
# Any constant works: it names the one advisory lock that serialises appends to the chain.
_CHAIN_LOCK_KEY = 0x4A_55_44_17


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _json_safe(value: Any) -> Any:
    """What the JSON column will give back on reading, so the hash is recomputable."""
    return json.loads(canonical_json(value or {}))


def _timestamp(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_digest(event: AuditEvent) -> str:
    content = {
        "created_at": _timestamp(event.created_at),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": str(event.object_id),
        "access_request_id": event.access_request_id,
        "before": event.before,
        "after": event.after,
    }
    return hashlib.sha256((event.prev_hash + canonical_json(content)).encode("utf-8")).hexdigest()


def _lock_chain() -> None:
    """Serialise appends so two concurrent events never share a ``prev_hash``.

    PostgreSQL: a transaction-scoped advisory lock (the table may be empty, so there is
    no row to lock). SQLite: writers are already serialised (transaction_mode IMMEDIATE).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    access_request_id: int | None = None,
) -> AuditEvent:
    """Append one event to the chain. Must run inside the transaction of the change it records."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records.")
    _lock_chain()
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    event = AuditEvent(
        created_at=timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_username=actor.get_username() if actor is not None and actor.is_authenticated else "",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        access_request_id=access_request_id,
        before=_json_safe(before),
        after=_json_safe(after),
        prev_hash=last or GENESIS_HASH,
    )
    event.hash = event_digest(event)
    event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class ChainProblem:
    event_id: int
    message: str


def verify_chain(events: Iterator[AuditEvent] | None = None) -> ChainProblem | None:
    """Recompute the chain in id order; return the first bad event, or None if the chain is intact."""
    expected_prev = GENESIS_HASH
    rows = events if events is not None else AuditEvent.objects.order_by("id").iterator(chunk_size=2000)
    for event in rows:
        if event.prev_hash != expected_prev:
            return ChainProblem(
                event.pk, f"event #{event.pk} ({event.action}): prev_hash does not match event before it"
            )
        if event_digest(event) != event.hash:
            return ChainProblem(event.pk, f"event #{event.pk} ({event.action}): content does not match its hash")
        expected_prev = event.hash
    return None
