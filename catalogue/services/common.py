"""What every catalogue write service checks first: that the actor curates the dataset's owning partner."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied

from catalogue.models import Dataset, Partner
from catalogue.selectors import user_curates


def require_curator(*, actor: AbstractBaseUser | AnonymousUser | None, partner: Partner) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` curates ``partner`` (``manage_datasets``) or is a superuser."""
    if not user_curates(actor, partner):
        raise PermissionDenied(f"Only curators of {partner.name} can register or change its datasets.")


def lock_dataset(dataset: Dataset) -> Dataset:
    """Re-read ``dataset`` under ``SELECT … FOR UPDATE`` so concurrent state changes serialise."""
    return Dataset.objects.select_for_update().select_related("partner").get(pk=dataset.pk)
