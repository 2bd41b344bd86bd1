"""Applying the outbox to the search index (the read side of the outbox).

Guarantees:

* **Nothing is lost.** Outbox rows (``search.sync`` messages of :mod:`harmony.outbox`) are marked
  done only after the backend applied them; when the backend fails (Elasticsearch down), the rows
  stay, with ``attempts`` and ``last_error`` bumped and a backoff, and the worker applies them
  later (``search.sync`` never gives up). Catalogue writes never wait for the index.
* **Idempotent.** Applying a row re-renders the dataset's documents from the database as they
  are *now*, so applying it twice, or late, gives the same index.
* **No stale overwrite.** One sync at a time (a PostgreSQL advisory lock): otherwise a slow
  worker that rendered an old state could write it after a faster one wrote the new state.
  A row committed while a sync runs is picked up by that sync's next batch or the next run.
  On SQLite (development) there is no lock.
* A full rebuild (``search_reindex``) holds the same lock, so changes made while the new
  index is built stay in the outbox and are applied to the new index right after the swap.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from catalogue.models import Variable
from catalogue.search.backends import get_search_backend
from catalogue.search.backends.base import SearchBackend
from catalogue.search.models import SEARCH_SYNC, SearchChange
from harmony.outbox.models import OutboxMessage
from harmony.outbox.registry import Handler, handler_for
from harmony.outbox.services import deliver

logger = logging.getLogger(__name__)

SYNC_LOCK_KEY = 0x5EA2C4  # pg_advisory_lock key reserved for search index writes
# After-commit syncs apply changes inline only when they are small; a dataset with more
# variables than this (a bulk dictionary import) is left to the outbox worker, so the
# request that committed it is not held up re-indexing 100,000 variables.
INLINE_SYNC_MAX_VARIABLES = 5000


class SyncBusy(RuntimeError):
    """The index lock is held by another sync or a rebuild."""


@dataclass
class SyncReport:
    applied_changes: int = 0
    datasets: int = 0
    failed_changes: int = 0
    error: str = ""
    skipped_busy: bool = False


@contextmanager
def sync_lock(*, blocking: bool = True) -> Iterator[bool]:
    """Hold the index-write lock; yields False if ``blocking`` is off and another sync holds it."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        if blocking:
            cursor.execute("SELECT pg_advisory_lock(%s)", [SYNC_LOCK_KEY])
            acquired = True
        else:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [SYNC_LOCK_KEY])
            acquired = bool(cursor.fetchone()[0])
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [SYNC_LOCK_KEY])


def apply_pending_changes(
    *,
    backend: SearchBackend | None = None,
    batch_size: int = 500,
    dataset_ids: Collection[int] | None = None,
    wait_for_lock: bool = True,
    locked: bool = False,
) -> SyncReport:
    """Apply outbox rows (all, or only those of ``dataset_ids``) in batches until none are left
    or the backend fails. ``locked`` says the caller already holds :func:`sync_lock`."""
    backend = backend or get_search_backend()
    if locked:
        return _apply(backend, batch_size=batch_size, dataset_ids=dataset_ids)
    with sync_lock(blocking=wait_for_lock) as acquired:
        if not acquired:
            return SyncReport(skipped_busy=True)
        return _apply(backend, batch_size=batch_size, dataset_ids=dataset_ids)


def _apply(backend: SearchBackend, *, batch_size: int, dataset_ids: Collection[int] | None) -> SyncReport:
    # Every pending change, backoff or not: whoever calls this wants the index brought up to date now.
    report = SyncReport()
    handler = _handler_using(backend)
    pending = SearchChange.objects.order_by("id")
    if dataset_ids is not None:
        pending = pending.filter(dataset_id__in=list(dataset_ids))
    last_id = 0
    while True:
        batch = list(pending.filter(id__gt=last_id)[:batch_size])
        if not batch:
            return report
        result = deliver(handler, batch)
        if result.failed:
            report.failed_changes += result.failed
            report.error = result.error
            return report
        report.applied_changes += result.delivered
        report.datasets += len({change.dataset_id for change in batch})
        last_id = batch[-1].pk


def _handler_using(backend: SearchBackend) -> Handler:
    def index(messages: list[OutboxMessage]) -> None:
        backend.index_datasets({int(message.payload["dataset_id"]) for message in messages})

    return dataclasses.replace(handler_for(SEARCH_SYNC), deliver=index)


def deliver_search_changes(messages: list[OutboxMessage]) -> None:
    """The outbox worker's ``search.sync`` handler: re-render these datasets in the configured backend.

    Holds :func:`sync_lock`, so it never writes an older rendering over a newer one (or into an
    index being rebuilt). Does not wait for the lock: the worker holds these rows locked, and a
    rebuild that holds the index lock marks rows done at its end, so waiting could deadlock; the
    batch is retried after a short backoff instead. Raises on a backend failure, likewise retried.
    """
    with sync_lock(blocking=False) as acquired:
        if not acquired:
            raise SyncBusy("another search sync or a rebuild holds the index lock")
        get_search_backend().index_datasets({int(message.payload["dataset_id"]) for message in messages})


def sync_after_commit(dataset_ids: Collection[int]) -> None:
    """Run by ``transaction.on_commit``: apply these datasets' changes now if they are small.

    Never raises: the catalogue write has committed; on any failure the rows wait for the worker.
    """
    try:
        if Variable.objects.filter(dataset_id__in=list(dataset_ids)).count() > INLINE_SYNC_MAX_VARIABLES:
            return
        report = apply_pending_changes(dataset_ids=dataset_ids, wait_for_lock=False)
        if report.error:
            logger.warning("search index not updated after commit (left for the worker): %s", report.error)
    except Exception:
        logger.exception("search sync after commit failed; the outbox keeps the changes for the worker")


@dataclass
class RebuildReport:
    indexed: dict[str, int]
    sync: SyncReport


def rebuild_index(*, backend: SearchBackend | None = None, chunk_size: int = 500) -> RebuildReport:
    """Rebuild the whole index, then apply the changes committed meanwhile.

    Holds :func:`sync_lock` throughout, so no sync writes to the old index while the new one
    is built: changes committed during the build wait in the outbox and are applied after the
    swap. Rows already committed when the rebuild starts are covered by it (it reads the
    database after they committed) and are simply marked done.
    """
    backend = backend or get_search_backend()
    with sync_lock():
        covered = list(SearchChange.objects.values_list("id", flat=True))
        indexed = backend.rebuild(chunk_size=chunk_size)
        for start in range(0, len(covered), 10_000):
            OutboxMessage.objects.filter(id__in=covered[start : start + 10_000]).update(done_at=timezone.now())
        report = apply_pending_changes(backend=backend, locked=True)
    return RebuildReport(indexed=indexed, sync=report)
