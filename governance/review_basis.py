"""Freezing the basis of an item's review (governance.models.ReviewBasis) and reading it back.

The snapshot is plain JSON: the request's editable fields as submitted, the use in DUO terms
(``catalogue.consent_matching.IntendedUse``) and the dataset's active consent conditions. Its SHA-256 is
taken over the canonical JSON (sorted keys, no whitespace), so anyone can recompute it from the row.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from typing import Any

from catalogue.consent_matching import IntendedUse, Verdict, match_use
from catalogue.selectors import consent_conditions_of
from governance import selectors
from governance.models import AccessRequest, AccessRequestItem, ReviewBasis

#: The request fields that make up its intended use: changing one changes what a committee reviewed.
#: (The title only names the request.)
INTENDED_USE_FIELDS = (
    "lay_summary",
    "scientific_aims",
    "purpose",
    "disease",
    "commercial",
    "will_publish",
    "collaboration_with_holder",
    "methods_development",
    "genetic_studies",
    "requested_start",
    "requested_end",
    "ethics_reference",
    "ethics_expiry",
    "publication_date",
    "countries_of_use",
    "sensitive_research",
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


_DATE_FIELDS = ("requested_start", "requested_end", "ethics_expiry", "publication_date")


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def snapshot_sha256(intended_use: dict[str, Any], consent_conditions: list[dict[str, Any]]) -> str:
    """SHA-256 of the canonical JSON of a basis snapshot."""
    canonical = json.dumps(
        {"intended_use": intended_use, "consent_conditions": consent_conditions},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def intended_use_snapshot(access_request: AccessRequest) -> dict[str, Any]:
    request_fields = {
        name: access_request.disease_id if name == "disease" else _plain(getattr(access_request, name))
        for name in INTENDED_USE_FIELDS
    }
    return {
        "title": access_request.title,
        "partner": {"id": access_request.partner_id, "name": access_request.partner.name},
        "fields": request_fields,
        "duo_use": _plain(dataclasses.asdict(selectors.intended_use_of(access_request))),
    }


def freeze_basis(item: AccessRequestItem, *, today: datetime.date) -> tuple[ReviewBasis, Verdict]:
    """Record the basis of ``item``'s current review round and make it the item's basis.

    The caller holds the item's lock (governance.workflow); the basis is matched now, and its verdict returned.
    """
    conditions = consent_conditions_of(item.dataset)
    use = selectors.intended_use_of(item.request)
    verdict = match_use(use, conditions, today)
    intended_use = intended_use_snapshot(item.request)
    consent_conditions = [_plain(dataclasses.asdict(condition)) for condition in conditions]
    basis = ReviewBasis.objects.create(
        item=item,
        review_round=item.review_round,
        intended_use=intended_use,
        consent_conditions=consent_conditions,
        compatible=verdict.compatible,
        reasons=list(verdict.reasons),
        sha256=snapshot_sha256(intended_use, consent_conditions),
    )
    item.basis = basis
    item.save(update_fields=["basis", "updated_at"])
    return basis, verdict


def basis_use(basis: ReviewBasis) -> IntendedUse:
    """The frozen use in DUO terms, as the consent matcher takes it."""
    use = dict(basis.intended_use["duo_use"])
    for name in ("disease_lineage", "countries", "sensitive"):
        use[name] = frozenset(use.get(name, ()))
    for name in ("ethics_expiry", "end", "publication_date"):
        use[name] = _date(use.get(name))
    return IntendedUse(**use)


def basis_field(basis: ReviewBasis, name: str) -> Any:
    """One request field as frozen in the basis (dates as ``datetime.date``)."""
    value = basis.intended_use["fields"].get(name)
    return _date(value) if name in _DATE_FIELDS else value


def basis_display(basis: ReviewBasis) -> list[tuple[str, Any]]:
    """The frozen request fields as (label, value) pairs, for the review page."""
    fields = basis.intended_use["fields"]
    # A basis frozen before a field existed does not hold it: it is shown as not given.
    return [
        (AccessRequest._meta.get_field(name).verbose_name.capitalize(), fields.get(name))
        for name in INTENDED_USE_FIELDS
    ]
