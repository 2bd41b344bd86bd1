"""Recording catalogue changes for the search index (the write side of the outbox)."""

from __future__ import annotations

from collections.abc import Iterable

from catalogue.search.models import SearchChange


def record_dataset_changes(dataset_ids: Iterable[int]) -> None:
    """Queue the datasets for re-indexing. Call inside the transaction that changed them."""
    SearchChange.objects.bulk_create([SearchChange(dataset_id=dataset_id) for dataset_id in set(dataset_ids)])
