"""Recording catalogue changes for the search index (the write side of the outbox)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.db import transaction

from catalogue.figures import record_figure_changes
from catalogue.search.models import SEARCH_SYNC
from harmony.outbox.services import enqueue


def record_dataset_changes(dataset_ids: Iterable[int]) -> None:
    """Queue the datasets for re-indexing and their figures for a recount. Call inside the transaction
    that changed them.

    The rows commit (or roll back) with the change itself. With ``SEARCH_SYNC_ON_COMMIT``
    the index is also updated right after the commit when the change is small (see
    :func:`catalogue.search.sync.sync_after_commit`); otherwise the outbox worker applies it.
    """
    ids = frozenset(dataset_ids)
    if not ids:
        return
    enqueue(kind=SEARCH_SYNC, payloads=[{"dataset_id": dataset_id} for dataset_id in sorted(ids)])
    record_figure_changes(ids)  # the home page and statistics figures follow the same changes
    if settings.SEARCH_SYNC_ON_COMMIT:
        from catalogue.search.sync import sync_after_commit  # the sync imports the backends, which import models

        transaction.on_commit(partial(sync_after_commit, ids))
