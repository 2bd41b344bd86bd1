"""What every catalogue write service checks first: that the actor curates the dataset's owning partner."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from catalogue import policy
from catalogue.models import Dataset, Partner


def require_curator(*, actor: AbstractBaseUser | AnonymousUser | None, partner: Partner) -> None:
    """Refuse (``catalogue.policy.require``) unless ``actor`` curates ``partner`` or is a superuser."""
    policy.require(policy.can_curate(actor, partner))


def lock_dataset(dataset: Dataset) -> Dataset:
    """Re-read ``dataset`` under ``SELECT … FOR UPDATE`` so concurrent state changes serialise."""
    return Dataset.objects.select_for_update().select_related("partner").get(pk=dataset.pk)
