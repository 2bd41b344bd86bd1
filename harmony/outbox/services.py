"""Writing to the outbox and recording delivery outcomes."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from harmony.outbox.models import OutboxMessage
from harmony.outbox.registry import Handler, handler_for

logger = logging.getLogger(__name__)


def enqueue(*, kind: str, payloads: Iterable[Mapping[str, Any]]) -> list[OutboxMessage]:
    """Add one message per payload. Call inside the transaction of the write that owes them:
    they commit, or roll back, with it."""
    return OutboxMessage.objects.bulk_create([OutboxMessage(kind=kind, payload=dict(p)) for p in payloads])


def backoff_delay(handler: Handler, attempts: int) -> datetime.timedelta:
    """Delay before attempt ``attempts + 1``: ``backoff_seconds`` doubled per failed attempt, capped."""
    seconds = min(handler.backoff_seconds * 2 ** max(attempts - 1, 0), handler.max_backoff_seconds)
    return datetime.timedelta(seconds=seconds)


@dataclass
class DeliveryResult:
    delivered: int = 0
    failed: int = 0
    error: str = ""


def deliver(handler: Handler, messages: Sequence[OutboxMessage]) -> DeliveryResult:
    """Run ``handler`` on ``messages`` and record the outcome on their rows.

    Success marks them done. Failure (any exception) keeps them, adds one attempt, stores the
    error and schedules the next attempt with backoff; never raises.
    """
    if not messages:
        return DeliveryResult()
    ids = [message.pk for message in messages]
    try:
        with (
            transaction.atomic()
        ):  # a savepoint: a handler's failed database write leaves the caller's transaction usable
            handler.deliver(list(messages))
    except Exception as error:  # a failed side effect is retried later, never lost
        text = f"{type(error).__name__}: {error}"[:2000]
        logger.warning("outbox %s: %d messages failed: %s", handler.kind, len(ids), text)
        attempts = max(message.attempts for message in messages) + 1
        OutboxMessage.objects.filter(pk__in=ids).update(
            attempts=F("attempts") + 1,
            last_error=text,
            next_attempt_at=timezone.now() + backoff_delay(handler, attempts),
        )
        return DeliveryResult(failed=len(ids), error=text)
    OutboxMessage.objects.filter(pk__in=ids).update(done_at=timezone.now(), last_error="")
    return DeliveryResult(delivered=len(ids))


def deliver_after_commit(messages: Sequence[OutboxMessage]) -> None:
    """Try to deliver ``messages`` right after the current transaction commits (so a notification
    does not wait for the worker's next pass). Whatever fails then stays for the worker."""
    ids = [message.pk for message in messages]
    if ids:
        transaction.on_commit(lambda: deliver_now(message_ids=ids))


def deliver_now(*, message_ids: Sequence[int]) -> DeliveryResult:
    """Deliver those of ``message_ids`` that are still pending, in their handler's batches; never raises.

    Rows are claimed with ``SELECT … FOR UPDATE SKIP LOCKED``, so a worker running at the same time
    cannot deliver the same message a second time.
    """
    total = DeliveryResult()
    try:
        for kind in sorted(set(OutboxMessage.objects.filter(pk__in=message_ids).values_list("kind", flat=True))):
            handler = handler_for(kind)
            for start in range(0, len(message_ids), handler.batch_size):
                with transaction.atomic():
                    batch = list(
                        OutboxMessage.objects.pending()
                        .filter(kind=kind, pk__in=message_ids[start : start + handler.batch_size])
                        .order_by("id")
                        .select_for_update(skip_locked=True)
                    )
                    result = deliver(handler, batch)
                total.delivered += result.delivered
                total.failed += result.failed
                total.error = result.error or total.error
    except Exception:  # after commit nothing may fail the request; the worker retries what is left
        logger.exception("outbox delivery after commit failed; the worker will retry")
    return total


@transaction.atomic
def retry_now(*, message_ids: Iterable[int]) -> int:
    """Make pending messages due at once with a fresh attempt count (the admin's "retry" action).

    Returns how many were rescheduled; delivered messages are left alone.
    """
    return (
        OutboxMessage.objects.pending()
        .filter(pk__in=list(message_ids))
        .update(attempts=0, next_attempt_at=timezone.now(), last_error="")
    )


def prune_delivered(*, older_than: datetime.timedelta) -> int:
    """Delete delivered messages older than ``older_than``; returns how many."""
    deleted, _ = OutboxMessage.objects.filter(done_at__lt=timezone.now() - older_than).delete()
    return deleted
