"""Partners: registered and changed by the alliance administrators (the Django admin calls these)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from audit.services import audit_record
from catalogue.models import Partner
from catalogue.search.outbox import record_dataset_changes
from catalogue.services.common import field_values

PARTNER_FIELDS = ("name", "short_name", "slug", "country", "kind", "website", "contact_email", "description")
# The partner fields every dataset's (and variable's) search document carries, as text or as facets.
SEARCHED_PARTNER_FIELDS = frozenset({"name", "short_name", "slug", "country", "kind"})


def _require_administrator(actor: AbstractBaseUser | None) -> None:
    if actor is None or not actor.is_superuser:
        raise PermissionDenied("Only the alliance administrators can register or change partners.")


@transaction.atomic
def partner_save(*, actor: AbstractBaseUser, partner: Partner) -> Partner:
    """Save a new or changed ``partner`` (validated by its form or ``full_clean``); audited with what changed.

    The partner's kind decides whether its researchers' use is commercial, so every change is on record.
    A change to what search documents carry (name, short name, slug, country, kind) queues the partner's datasets
    for re-indexing in the same transaction, so search and its facets never show the partner's old name.
    """
    _require_administrator(actor)
    before = {} if partner.pk is None else field_values(Partner.objects.get(pk=partner.pk), PARTNER_FIELDS)
    partner.save()
    after = field_values(partner, PARTNER_FIELDS)
    changed = [name for name in PARTNER_FIELDS if before.get(name) != after[name]]
    audit_record(
        actor=actor,
        action="partner.update" if before else "partner.create",
        obj=partner,
        before={name: before[name] for name in changed if name in before},
        after={name: after[name] for name in changed},
    )
    if before and SEARCHED_PARTNER_FIELDS.intersection(changed):
        record_dataset_changes(partner.datasets.values_list("pk", flat=True))
    return partner
