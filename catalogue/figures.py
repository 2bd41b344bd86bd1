"""Catalogue figures that do not grow with the catalogue: variable counts kept per dataset and value type.

Guarantees:

* **Never missed.** Every catalogue change already queues its datasets in the outbox in the writing
  transaction (:func:`catalogue.search.outbox.record_dataset_changes`); the same call queues a
  ``catalogue.figures`` message, so a committed change always reaches the figures.
* **Never stale when read.** :func:`apply_pending_figures` (called by the statistics selectors before
  they count) refreshes the datasets still queued; the outbox worker and the after-commit delivery
  usually have done it already. :func:`figures_version` tells the selectors when to count again.
* **Idempotent.** A refresh recounts the dataset's variables as they are now (a ``GROUP BY`` over that
  dataset only), so applying a message twice or late gives the same figures.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Max

from catalogue.models import Dataset, Variable, VariableFigures
from harmony.outbox.models import OutboxMessage
from harmony.outbox.services import deliver_after_commit, deliver_now, enqueue

FIGURES_REFRESH = "catalogue.figures"  # the outbox kind of "recount this dataset's variables"


def record_figure_changes(dataset_ids: Iterable[int]) -> None:
    """Queue the datasets' figures for a refresh (call inside the transaction that changed them);
    delivered right after the commit, or by the outbox worker."""
    ids = sorted(set(dataset_ids))
    if ids:
        deliver_after_commit(enqueue(kind=FIGURES_REFRESH, payloads=[{"dataset_id": pk} for pk in ids]))


def refresh_dataset_figures(dataset_ids: Iterable[int]) -> None:
    """Recount the variables of ``dataset_ids`` per value type (deleted datasets simply lose their rows)."""
    ids = sorted(set(dataset_ids))
    VariableFigures.objects.filter(dataset_id__in=ids).delete()
    existing = Dataset.objects.filter(pk__in=ids).values("pk")
    counts = (
        Variable.objects.filter(dataset_id__in=existing)
        .order_by()
        .values_list("dataset_id", "value_type")
        .annotate(n=Count("pk"))
    )
    VariableFigures.objects.bulk_create(
        VariableFigures(dataset_id=dataset_id, value_type=value_type, variables=n)
        for dataset_id, value_type, n in counts
    )


def deliver_figure_changes(messages: list[OutboxMessage]) -> None:
    """The outbox handler of ``catalogue.figures``."""
    refresh_dataset_figures(int(message.payload["dataset_id"]) for message in messages)


def figures_version() -> int:
    """A number that grows with every committed catalogue change: the newest figures message's id (0 when
    none is kept). Delivered messages are pruned only days after delivery, so the newest one stays while
    anything cached under it could still be served."""
    return OutboxMessage.objects.filter(kind=FIGURES_REFRESH).aggregate(newest=Max("pk"))["newest"] or 0


def apply_pending_figures() -> None:
    """Refresh now the figures of datasets still queued (claimed with SKIP LOCKED: never twice at once)."""
    pending = list(OutboxMessage.objects.pending().filter(kind=FIGURES_REFRESH).values_list("pk", flat=True))
    if pending:
        deliver_now(message_ids=pending)
