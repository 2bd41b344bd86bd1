"""Distributions: how a dataset's data can be obtained — a file the registry holds privately, or an external URL.

The catalogue never serves the file: governance streams it to holders of a live access grant.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from catalogue.models import Dataset, Distribution, DistributionKind
from catalogue.search.outbox import record_dataset_changes
from catalogue.services.common import field_values, require_curator


def upload_too_large_message(size: int) -> str:
    limit = settings.HARMONY_MAX_UPLOAD_BYTES
    return _("The file is %(size)s MB; the limit is %(limit)s MB.") % {
        "size": f"{size / 1_048_576:.1f}",
        "limit": f"{limit / 1_048_576:.0f}",
    }


@transaction.atomic
def distribution_create(
    *,
    actor: AbstractBaseUser,
    dataset: Dataset,
    title: str,
    file: UploadedFile | None = None,
    access_url: str = "",
    media_type: str = "",
    byte_size: int | None = None,
) -> Distribution:
    """Add a distribution: exactly one of ``file`` (stored privately; size ≤ ``HARMONY_MAX_UPLOAD_BYTES``;
    its size and SHA-256 are computed here) or ``access_url`` (``byte_size`` may be stated)."""
    require_curator(actor=actor, partner=dataset.partner)
    errors: dict[str, list[str]] = {}
    if (file is None) == (not access_url):
        errors["file"] = [_("Give either a file or an access URL, not both or neither.")]
    if file is not None and file.size is not None and file.size > settings.HARMONY_MAX_UPLOAD_BYTES:
        errors["file"] = [upload_too_large_message(file.size)]
    if byte_size is not None and byte_size < 0:
        errors["byte_size"] = [_("Ensure this value is greater than or equal to 0.")]
    distribution = Distribution(
        dataset=dataset,
        title=title,
        kind=DistributionKind.FILE if file is not None else DistributionKind.URL,
        access_url=access_url,
        media_type=media_type or (getattr(file, "content_type", "") or "" if file is not None else ""),
        byte_size=byte_size,
    )
    _raise_with_model_errors(distribution, errors)
    if file is not None:
        digest = hashlib.sha256()
        for chunk in file.chunks():
            digest.update(chunk)
        file.seek(0)
        distribution.checksum_sha256 = digest.hexdigest()
        distribution.byte_size = file.size
        distribution.file.save(file.name or "distribution", file, save=False)
    try:
        distribution.save()
        record_dataset_changes([dataset.pk])
        audit_record(
            actor=actor,
            action="distribution.create",
            obj=distribution,
            after=field_values(
                distribution, ["dataset", "title", "kind", "access_url", "media_type", "byte_size", "checksum_sha256"]
            ),
        )
    except Exception:
        # Storage is not transactional: a failed insert must not leave an orphan file behind.
        if distribution.file:
            distribution.file.delete(save=False)
        raise
    return distribution


#: The fields ``distribution_update`` may change, by kind: a held file's bytes (and so its size and checksum) are
#: fixed once uploaded (upload a new distribution to replace them); an external URL's location and size may change.
EDITABLE_FIELDS = {
    DistributionKind.FILE: ("title", "media_type"),
    DistributionKind.URL: ("title", "media_type", "access_url", "byte_size"),
}
_AUDITED = ["title", "kind", "access_url", "media_type", "byte_size", "checksum_sha256"]


@transaction.atomic
def distribution_update(*, actor: AbstractBaseUser, distribution: Distribution, **changes: object) -> Distribution:
    """Change a distribution's description under a row lock: only ``EDITABLE_FIELDS`` of its kind (anything else
    is refused field by field); validated like ``distribution_create``; audited as ``distribution.update`` with
    the values before and after."""
    require_curator(actor=actor, partner=distribution.dataset.partner)
    distribution = Distribution.objects.select_for_update().select_related("dataset").get(pk=distribution.pk)
    editable = EDITABLE_FIELDS[DistributionKind(distribution.kind)]
    errors: dict[str, list[str]] = {
        field: [_("A held file's bytes cannot be changed: add a new distribution to replace the file.")]
        for field in changes
        if field not in editable
    }
    if errors:
        raise ValidationError(errors)
    before = field_values(distribution, _AUDITED)
    for field, value in changes.items():
        setattr(distribution, field, value)
    if distribution.kind == DistributionKind.URL and not distribution.access_url:
        errors["access_url"] = [_("An external distribution needs its access URL.")]
    _raise_with_model_errors(distribution, errors)
    distribution.save(update_fields=list(changes))
    record_dataset_changes([distribution.dataset_id])
    audit_record(
        actor=actor,
        action="distribution.update",
        obj=distribution,
        before=before,
        after=field_values(distribution, _AUDITED),
    )
    return distribution


@transaction.atomic
def distribution_delete(*, actor: AbstractBaseUser, distribution: Distribution) -> None:
    """Remove a distribution; its stored file is deleted once the transaction commits."""
    require_curator(actor=actor, partner=distribution.dataset.partner)
    stored = distribution.file
    dataset_id = distribution.dataset_id
    audit_record(
        actor=actor,
        action="distribution.delete",
        obj=distribution,
        before=field_values(distribution, ["dataset", "title", "kind", "access_url", "checksum_sha256"]),
    )
    distribution.delete()
    record_dataset_changes([dataset_id])
    if stored:
        storage, name = stored.storage, stored.name
        transaction.on_commit(lambda: storage.delete(name))


def _raise_with_model_errors(distribution: Distribution, errors: dict[str, list[str]]) -> None:
    """Raise ``errors`` together with the model's own field checks (those of fields already in ``errors`` are
    skipped, so a field gets one message); return quietly when there are none."""
    try:
        distribution.full_clean(exclude=["file", "dataset", *errors], validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
