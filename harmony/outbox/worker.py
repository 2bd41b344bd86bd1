"""The outbox worker: deliver due messages of every registered kind, in batches, until none are due."""

from __future__ import annotations

import datetime
import logging
import threading
from dataclasses import dataclass, field

from django.conf import settings
from django.db import close_old_connections, connection, transaction

from harmony.outbox.models import OutboxMessage
from harmony.outbox.registry import Handler, handlers
from harmony.outbox.services import deliver, prune_delivered

logger = logging.getLogger(__name__)


@dataclass
class DrainReport:
    delivered: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def total_delivered(self) -> int:
        return sum(self.delivered.values())

    @property
    def total_failed(self) -> int:
        return sum(self.failed.values())


def drain_kind(handler: Handler, report: DrainReport) -> None:
    """Deliver every due message of ``handler.kind``, one batch per transaction.

    Rows are claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL), so several workers
    never deliver the same message twice; a failed batch is rescheduled (not due any more), so
    the loop ends even while the target is down.
    """
    while True:
        with transaction.atomic():
            batch = list(
                OutboxMessage.objects.filter(kind=handler.kind)
                .due(max_attempts=handler.max_attempts)
                .order_by("id")
                .select_for_update(skip_locked=True)[: handler.batch_size]
            )
            if not batch:
                return
            result = deliver(handler, batch)
        report.delivered[handler.kind] = report.delivered.get(handler.kind, 0) + result.delivered
        if result.failed:
            report.failed[handler.kind] = report.failed.get(handler.kind, 0) + result.failed
            report.errors[handler.kind] = result.error


def drain(*, kinds: set[str] | None = None) -> DrainReport:
    """One pass over every registered kind (or only ``kinds``); never raises for a failed delivery."""
    report = DrainReport()
    for handler in handlers():
        if kinds is None or handler.kind in kinds:
            drain_kind(handler, report)
    return report


def run_worker(
    *, once: bool = False, interval: float = 2.0, stop: threading.Event | None = None, kinds: set[str] | None = None
) -> DrainReport:
    """Drain the outbox; with ``once`` a single pass, else until ``stop`` is set (or the process is stopped).

    Also prunes delivered messages older than ``settings.OUTBOX_KEEP_DONE_DAYS``. Returns the last pass's report.
    """
    stop = stop or threading.Event()
    keep_done = datetime.timedelta(days=settings.OUTBOX_KEEP_DONE_DAYS)
    while True:
        if not connection.in_atomic_block:  # (it is inside a test's transaction, which must stay open)
            close_old_connections()  # a long-running worker must survive a database restart
        report = drain(kinds=kinds)
        prune_delivered(older_than=keep_done)
        if report.total_delivered or report.total_failed:
            logger.info("outbox: delivered %s, failed %s", report.delivered, report.failed)
        if once or stop.wait(interval):
            return report
