"""The transactional outbox of changes the search index has not yet applied."""

from __future__ import annotations

from django.db import models


class SearchChange(models.Model):
    """A dataset whose search documents (the dataset and its variables) must be rewritten or deleted.

    Written in the same transaction as the catalogue change, so the index can
    never miss a committed write; applied (idempotently) by the sync worker.
    """

    dataset_id = models.BigIntegerField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"dataset {self.dataset_id} changed"
