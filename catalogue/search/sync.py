"""Applying the outbox to the search index (the read side of the outbox).

Guarantees:

* **Nothing is lost.** Outbox rows are deleted only after the backend applied them; when the
  backend fails (Elasticsearch down), the rows stay, with ``attempts`` and ``last_error``
  bumped, and the next run applies them. Catalogue writes never wait for the index.
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

import logging
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection
from django.db.models import F

from catalogue.models import Variable
from catalogue.search.backends import get_search_backend
from catalogue.search.backends.base import SearchBackend
from catalogue.search.models import SearchChange

logger = logging.getLogger(__name__)

SYNC_LOCK_KEY = 0x5EA2C4  # pg_advisory_lock key reserved for search index writes
# After-commit syncs apply changes inline only when they are small; a dataset with more
# variables than this (a bulk dictionary import) is left to `manage.py search_sync`, so the
# request that committed it is not held up re-indexing 100,000 variables.
INLINE_SYNC_MAX_VARIABLES = 5000


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
    report = SyncReport()
    pending = SearchChange.objects.order_by("id")
    if dataset_ids is not None:
        pending = pending.filter(dataset_id__in=list(dataset_ids))
    last_id = 0
    while True:
        rows = list(pending.filter(id__gt=last_id).values_list("id", "dataset_id")[:batch_size])
        if not rows:
            return report
        row_ids = [row_id for row_id, _ in rows]
        changed = {dataset_id for _, dataset_id in rows}
        try:
            backend.index_datasets(changed)
        except Exception as error:  # any backend failure keeps the rows for the next run
            logger.warning("search sync failed for %d datasets: %s", len(changed), error)
            SearchChange.objects.filter(id__in=row_ids).update(
                attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:2000]
            )
            report.failed_changes += len(rows)
            report.error = f"{type(error).__name__}: {error}"
            return report
        SearchChange.objects.filter(id__in=row_ids).delete()
        report.applied_changes += len(rows)
        report.datasets += len(changed)
        last_id = row_ids[-1]


def sync_after_commit(dataset_ids: Collection[int]) -> None:
    """Run by ``transaction.on_commit``: apply these datasets' changes now if they are small.

    Never raises: the catalogue write has committed; on any failure the rows wait for the worker.
    """
    try:
        if Variable.objects.filter(dataset_id__in=list(dataset_ids)).count() > INLINE_SYNC_MAX_VARIABLES:
            return
        report = apply_pending_changes(dataset_ids=dataset_ids, wait_for_lock=False)
        if report.error:
            logger.warning("search index not updated after commit (left for search_sync): %s", report.error)
    except Exception:
        logger.exception("search sync after commit failed; the outbox keeps the changes for search_sync")


@dataclass
class RebuildReport:
    indexed: dict[str, int]
    sync: SyncReport


def rebuild_index(*, backend: SearchBackend | None = None, chunk_size: int = 500) -> RebuildReport:
    """Rebuild the whole index, then apply the changes committed meanwhile.

    Holds :func:`sync_lock` throughout, so no sync writes to the old index while the new one
    is built: changes committed during the build wait in the outbox and are applied after the
    swap. Rows already committed when the rebuild starts are covered by it (it reads the
    database after they committed) and are simply deleted.
    """
    backend = backend or get_search_backend()
    with sync_lock():
        covered = list(SearchChange.objects.values_list("id", flat=True))
        indexed = backend.rebuild(chunk_size=chunk_size)
        for start in range(0, len(covered), 10_000):
            SearchChange.objects.filter(id__in=covered[start : start + 10_000]).delete()
        report = apply_pending_changes(backend=backend, locked=True)
    return RebuildReport(indexed=indexed, sync=report)
