"""Registering, describing, publishing and retiring datasets.

Every function here is keyword-only, runs in one transaction, checks inside that the
actor curates the owning partner (``PermissionDenied`` otherwise), raises
``django.core.exceptions.ValidationError`` with a field → messages dict for bad input,
and queues the dataset for re-indexing (``record_dataset_changes``) in the same transaction.

Lifecycle: draft → published → retired. Only these two transitions exist, each one service.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.services import audit_record
from catalogue.countries import COUNTRIES
from catalogue.extensions import publish_problems
from catalogue.models import DataModel, Dataset, DatasetStatus, DataType, DiseaseArea, Partner
from catalogue.search.outbox import record_dataset_changes
from catalogue.services.common import field_values, lock_dataset, require_curator
from catalogue.signals import dataset_retired
from catalogue.translations import translation_errors
from harmony.wording import in_sentence

#: The descriptive fields a curator may set on create and change on update (status and partner are not among them).
DATASET_FIELDS = frozenset(
    {
        "title",
        "slug",
        "description",
        "title_translations",
        "description_translations",
        "disease_areas",
        "data_types",
        "patient_count",
        "sample_count",
        "collection_start",
        "collection_end",
        "patient_countries",
        "data_model",
        "keywords",
        "version",
        "contact_email",
        "persistent_identifier",
        "dictionary_downloadable",
    }
)
_M2M_FIELDS = ("disease_areas", "data_types")


# Fixed path segments beside a dataset's slug in the URLs (``datasets/compare/``, ``curate/new/``): a dataset with
# one of these slugs could never be opened. tests/catalogue/test_services.py checks the list against the URLs.
RESERVED_SLUGS = frozenset({"compare", "new"})


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "dataset"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Dataset.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - DATASET_FIELDS
    if unknown:
        raise TypeError(f"Unknown dataset field(s): {', '.join(sorted(unknown))}.")


def _validate(dataset: Dataset, m2m: dict[str, Iterable[Any]]) -> None:
    """Model validation plus the rules the model cannot express; all errors at once, per field."""
    errors: dict[str, list[str]] = {}
    try:
        dataset.full_clean(validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if dataset.slug in RESERVED_SLUGS and "slug" not in errors:
        errors["slug"] = [
            _("“%(slug)s” is reserved by the catalogue's pages; choose another slug.") % {"slug": dataset.slug}
        ]
    for name in ("patient_count", "sample_count"):
        value = getattr(dataset, name)
        if value is not None and value < 0 and name not in errors:
            errors[name] = [_("Ensure this value is greater than or equal to 0.")]
    start, end = dataset.collection_start, dataset.collection_end
    if isinstance(start, datetime.date) and isinstance(end, datetime.date) and start > end:
        errors.setdefault("collection_end", []).append(_("The collection period must not end before it starts."))
    countries = dataset.patient_countries
    if not isinstance(countries, list) or not all(isinstance(code, str) for code in countries):
        errors.setdefault("patient_countries", []).append(_("Give a list of ISO 3166-1 alpha-2 country codes."))
    else:
        unknown = [code for code in countries if code not in COUNTRIES]
        if unknown:
            errors.setdefault("patient_countries", []).append(
                _("Unknown country code(s): %(codes)s.") % {"codes": ", ".join(unknown)}
            )
    for name, max_length in (
        ("title_translations", Dataset._meta.get_field("title").max_length),
        ("description_translations", None),
    ):
        messages = translation_errors(getattr(dataset, name), max_length=max_length)
        if messages:
            errors.setdefault(name, []).extend(messages)
    keywords = dataset.keywords
    if not isinstance(keywords, list) or not all(isinstance(word, str) and word.strip() for word in keywords):
        errors.setdefault("keywords", []).append(_("Give a list of non-empty words or phrases."))
    for name, model in (("disease_areas", DiseaseArea), ("data_types", DataType)):
        if name in m2m and not all(isinstance(item, model) for item in m2m[name]):
            errors.setdefault(name, []).append(
                _("Give %(things)s from the controlled list.") % {"things": model._meta.verbose_name_plural}
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def dataset_create(*, actor: AbstractBaseUser, partner: Partner, title: str, **fields: Any) -> Dataset:
    """Register a **draft** dataset of ``partner``. ``fields`` are any of ``DATASET_FIELDS``;
    ``disease_areas``/``data_types`` are model instances. A missing slug is derived from the title."""
    require_curator(actor=actor, partner=partner)
    _check_fields(fields)
    m2m = {name: list(fields.pop(name)) for name in _M2M_FIELDS if name in fields}
    fields.setdefault("patient_countries", [])
    fields.setdefault("keywords", [])
    fields.setdefault("title_translations", {})
    fields.setdefault("description_translations", {})
    fields.setdefault("data_model", DataModel.CUSTOM)
    if not fields.get("slug"):
        fields["slug"] = _unique_slug(title)
    dataset = Dataset(partner=partner, title=title, status=DatasetStatus.DRAFT, **fields)
    _validate(dataset, m2m)
    dataset.save()
    for name, items in m2m.items():
        getattr(dataset, name).set(items)
    record_dataset_changes([dataset.pk])
    audit_record(
        actor=actor,
        action="dataset.create",
        obj=dataset,
        after=field_values(dataset, ["partner", "title", "slug", "status", *fields, *m2m]),
    )
    return dataset


@transaction.atomic
def dataset_update(*, actor: AbstractBaseUser, dataset: Dataset, **changes: Any) -> Dataset:
    """Change descriptive fields (any of ``DATASET_FIELDS``) of a dataset in any status."""
    require_curator(actor=actor, partner=dataset.partner)
    _check_fields(changes)
    dataset = lock_dataset(dataset)
    changed = [*changes]
    before = field_values(dataset, changed)
    m2m = {name: list(changes.pop(name)) for name in _M2M_FIELDS if name in changes}
    for name, value in changes.items():
        setattr(dataset, name, value)
    _validate(dataset, m2m)
    dataset.save()
    for name, items in m2m.items():
        getattr(dataset, name).set(items)
    record_dataset_changes([dataset.pk])
    audit_record(actor=actor, action="dataset.update", obj=dataset, before=before, after=field_values(dataset, changed))
    return dataset


@transaction.atomic
def dataset_transfer(*, actor: AbstractBaseUser, dataset: Dataset, partner: Partner) -> Dataset:
    """Move ``dataset`` to another owning partner (alliance administrators only), under a row lock; audited.

    The owning partner decides who curates the dataset and, through governance, which committee governs
    its new requests, so the change is a permission change and is on record with both partners.
    """
    if not actor.is_superuser:
        raise PermissionDenied(_("Only the alliance administrators can move a dataset to another partner."))
    dataset = lock_dataset(dataset)
    previous = dataset.partner_id
    if previous == partner.pk:
        return dataset
    dataset.partner = partner
    dataset.save(update_fields=["partner", "updated_at"])
    record_dataset_changes([dataset.pk])
    audit_record(
        actor=actor, action="dataset.transfer", obj=dataset, before={"partner": previous}, after={"partner": partner.pk}
    )
    return dataset


@transaction.atomic
def dataset_publish(*, actor: AbstractBaseUser, dataset: Dataset) -> Dataset:
    """draft → published, under a row lock. A dataset must state at least one consent before it is published,
    because access requests are matched against its data-use conditions, and pass every registered publish
    precondition (catalogue.extensions: governance's committee must be able to decide on it)."""
    require_curator(actor=actor, partner=dataset.partner)
    dataset = lock_dataset(dataset)
    if dataset.status != DatasetStatus.DRAFT:
        raise ValidationError(
            {
                "status": [
                    _("Only a draft can be published; this dataset is %(status)s.")
                    % {"status": in_sentence(dataset.get_status_display())}
                ]
            }
        )
    if not dataset.consents.exists():
        raise ValidationError({"consents": [_("State at least one consent (data-use conditions) before publishing.")]})
    problems = publish_problems(dataset)
    if problems:
        raise ValidationError({"publication": problems})
    dataset.status = DatasetStatus.PUBLISHED
    dataset.published_at = timezone.now()
    dataset.save(update_fields=["status", "published_at", "updated_at"])
    record_dataset_changes([dataset.pk])
    audit_record(
        actor=actor,
        action="dataset.publish",
        obj=dataset,
        before={"status": DatasetStatus.DRAFT},
        after={"status": dataset.status},
    )
    return dataset


@transaction.atomic
def dataset_retire(*, actor: AbstractBaseUser, dataset: Dataset) -> Dataset:
    """published → retired, under a row lock: the dataset leaves lists and search; its curators still see it.
    Sends ``catalogue.signals.dataset_retired`` inside the transaction."""
    require_curator(actor=actor, partner=dataset.partner)
    dataset = lock_dataset(dataset)
    if dataset.status != DatasetStatus.PUBLISHED:
        raise ValidationError(
            {
                "status": [
                    _("Only a published dataset can be retired; it is %(status)s.")
                    % {"status": in_sentence(dataset.get_status_display())}
                ]
            }
        )
    dataset.status = DatasetStatus.RETIRED
    dataset.retired_at = timezone.now()
    dataset.save(update_fields=["status", "retired_at", "updated_at"])
    record_dataset_changes([dataset.pk])
    audit_record(
        actor=actor,
        action="dataset.retire",
        obj=dataset,
        before={"status": DatasetStatus.PUBLISHED},
        after={"status": dataset.status},
    )
    # Listeners (governance revokes live access grants) write in this same transaction.
    dataset_retired.send(sender=Dataset, dataset=dataset, actor=actor)
    return dataset
