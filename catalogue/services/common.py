"""What every catalogue write service shares: the curator check, the dataset lock, the audit snapshot."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models

from catalogue import policy
from catalogue.models import Dataset, Partner


def require_curator(*, actor: AbstractBaseUser | AnonymousUser | None, partner: Partner) -> None:
    """Refuse (``catalogue.policy.require``) unless ``actor`` curates ``partner`` or is a superuser."""
    policy.require(policy.can_curate(actor, partner))


def field_values(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """The named fields of ``obj`` as the audit trail records them: related objects by primary key,
    many-to-many fields as the sorted list of keys, everything else as stored."""
    values: dict[str, Any] = {}
    for name in names:
        value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = value.pk
        elif isinstance(value, models.Manager):
            value = sorted(value.values_list("pk", flat=True))
        values[name] = value
    return values


def lock_dataset(dataset: Dataset) -> Dataset:
    """Re-read ``dataset`` under ``SELECT … FOR UPDATE`` so concurrent state changes serialise."""
    return Dataset.objects.select_for_update().select_related("partner").get(pk=dataset.pk)
