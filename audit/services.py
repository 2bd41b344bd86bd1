"""Writing to the audit trail, verifying it and anchoring it: the only code that writes ``AuditEvent``."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, models, transaction
from django.utils import timezone

from audit.anchors import Anchor, check_anchors, read_anchors, write_anchor
from audit.chain import GENESIS_HASH, ChainHead, ChainProblem, event_digest, json_safe, verify_chain
from audit.models import AuditEvent, ThrottledEventWindow

# Any constant works: it names the one advisory lock that serialises appends to the chain.
_CHAIN_LOCK_KEY = 0x4A_55_44_17


def _lock_chain() -> None:
    """Serialise appends so two concurrent events never share a ``prev_hash``.

    PostgreSQL: a transaction-scoped advisory lock (the table may be empty, so there is
    no row to lock). SQLite: writers are already serialised (transaction_mode IMMEDIATE).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def _signed_in(actor: AbstractBaseUser | AnonymousUser | None) -> AbstractBaseUser | None:
    return actor if actor is not None and actor.is_authenticated else None  # type: ignore[return-value]


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    access_request_id: int | None = None,
) -> AuditEvent:
    """Append one event to the chain. Must run inside the transaction of the change it records.

    ``actor`` None (or anonymous) records a system event. Takes the chain lock until that
    transaction ends, so audited writes are serialised with each other.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records.")
    _lock_chain()
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    user = _signed_in(actor)
    event = AuditEvent(
        created_at=timezone.now(),
        actor=user,
        actor_username=user.get_username() if user is not None else "",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        access_request_id=access_request_id,
        before=json_safe(before),
        after=json_safe(after),
        prev_hash=last or GENESIS_HASH,
    )
    event.hash = event_digest(event)
    event.save(force_insert=True)
    return event


def audit_record_throttled(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    obj: models.Model,
    window: datetime.timedelta,
    after: dict[str, Any] | None = None,
) -> AuditEvent | None:
    """Record at most one ``action`` event per actor and object per ``window``; count the others.

    For events anyone can repeat at will (a refused download): the first event of a window is
    written with ``after["suppressed"]`` = how many were only counted since the previous one; the
    repeats inside the window update one counter row, so they cannot grow the audit table. Returns
    the event written, or None when this one was only counted. Must run inside the caller's transaction.
    """
    user = _signed_in(actor)
    now = timezone.now()
    counter, created = ThrottledEventWindow.objects.select_for_update().get_or_create(
        action=action,
        actor=user,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        defaults={"window_started_at": now},
    )
    if not created and now - counter.window_started_at < window:
        counter.suppressed += 1
        counter.save(update_fields=["suppressed"])
        return None
    event = audit_record(actor=user, action=action, obj=obj, after={**(after or {}), "suppressed": counter.suppressed})
    if not created:
        counter.window_started_at = now
        counter.suppressed = 0
        counter.save(update_fields=["window_started_at", "suppressed"])
    return event


def _events_in_order() -> Any:
    return AuditEvent.objects.order_by("id").iterator(chunk_size=2000)


def _verified_head(anchor_file: Path | None) -> ChainProblem | ChainHead:
    anchors, problem = read_anchors(anchor_file)
    if problem is not None:
        return problem
    result = verify_chain(_events_in_order(), watch_id=anchors[-1].seq if anchors else None)
    if isinstance(result, ChainProblem):
        return result
    return check_anchors(result, anchors) or result


def verify_trail(anchor_file: Path | None = None) -> ChainProblem | None:
    """Recompute the chain and compare its head with the latest anchor; None when the trail is intact.

    Otherwise the first problem: an edited, deleted, reordered or forged event; a chain that no longer
    reaches its latest anchor (newest events deleted, table truncated); an anchor line that is not authentic.
    """
    result = _verified_head(anchor_file)
    return result if isinstance(result, ChainProblem) else None


@transaction.atomic
def anchor_trail(anchor_file: Path | None = None) -> Anchor | ChainProblem:
    """Verify the trail, then append its head to the anchor log; a tampered trail is never anchored.

    Holds the chain lock while it reads, so the anchored head is a head that existed.
    """
    _lock_chain()
    result = _verified_head(anchor_file)
    if isinstance(result, ChainProblem):
        return result
    return write_anchor(result, anchor_file)
