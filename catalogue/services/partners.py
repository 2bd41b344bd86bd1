"""Partners: registered and changed by the alliance administrators (the Django admin calls these)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from audit.services import audit_record
from catalogue.models import Partner
from catalogue.services.common import field_values

PARTNER_FIELDS = ("name", "short_name", "slug", "country", "kind", "website", "contact_email", "description")


def _require_administrator(actor: AbstractBaseUser | None) -> None:
    if actor is None or not actor.is_superuser:
        raise PermissionDenied("Only the alliance administrators can register or change partners.")


@transaction.atomic
def partner_save(*, actor: AbstractBaseUser, partner: Partner) -> Partner:
    """Save a new or changed ``partner`` (validated by its form or ``full_clean``); audited with what changed.

    The partner's kind decides whether its researchers' use is commercial, so every change is on record.
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
    return partner
