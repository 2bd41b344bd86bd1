"""The outbox table: one row per side effect a committed write still owes."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboxMessageQuerySet(models.QuerySet["OutboxMessage"]):
    def pending(self) -> OutboxMessageQuerySet:
        """Not yet delivered (whether or not it is due, or has given up)."""
        return self.filter(done_at__isnull=True)

    def due(self, *, max_attempts: int | None) -> OutboxMessageQuerySet:
        """Pending, past its backoff, and (with ``max_attempts``) not yet given up."""
        due = self.pending().filter(next_attempt_at__lte=timezone.now())
        return due if max_attempts is None else due.filter(attempts__lt=max_attempts)

    def failed(self) -> OutboxMessageQuerySet:
        """Pending messages that failed at least once: what administrators look at."""
        return self.pending().filter(attempts__gt=0)


class OutboxMessage(models.Model):
    """A side effect (``kind`` + JSON ``payload``) to perform after the transaction that wrote it.

    ``attempts`` counts failed deliveries, ``last_error`` says why the last one failed and
    ``next_attempt_at`` when the worker tries again (exponential backoff). ``done_at`` is set once
    the handler succeeded; delivered rows are pruned after ``OUTBOX_KEEP_DONE_DAYS``.
    """

    kind = models.CharField(max_length=50)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["kind", "next_attempt_at"], name="outbox_pending_due", condition=Q(done_at__isnull=True)
            ),
            models.Index(fields=["done_at"], name="outbox_done_at"),
            # The newest message of a kind (catalogue.figures_version, read on every home and statistics
            # view) in one index probe, not a scan of every message kept.
            models.Index(fields=["kind", "id"], name="outbox_kind_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"
