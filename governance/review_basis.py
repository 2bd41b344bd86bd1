"""Freezing the basis of an item's review (governance.models.ReviewBasis) and reading it back.

The snapshot is plain JSON: the request's editable fields as submitted, the use in DUO terms
(``catalogue.consent_matching.IntendedUse``), the documents attached (kind, name, SHA-256) and the dataset's active
consent conditions. Its SHA-256 is
taken over the canonical JSON (sorted keys, no whitespace), so anyone can recompute it from the row.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from typing import Any

from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.consent_matching import ConsentConditions, IntendedUse, Verdict, match_consent, match_use
from catalogue.models import DuoTerm
from catalogue.selectors import consent_conditions_of
from governance import selectors
from governance.models import AccessRequest, AccessRequestItem, DocumentKind, ReviewBasis

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


#: How the review page names each frozen field.
_FIELD_LABELS = {
    "lay_summary": _("Lay summary"),
    "scientific_aims": _("Scientific aims"),
    "purpose": _("Purpose"),
    "disease": _("Disease"),
    "commercial": _("Commercial"),
    "will_publish": _("Will publish"),
    "collaboration_with_holder": _("Collaboration with holder"),
    "methods_development": _("Methods development"),
    "genetic_studies": _("Genetic studies"),
    "requested_start": _("Requested start"),
    "requested_end": _("Requested end"),
    "ethics_reference": _("Ethics reference"),
    "ethics_expiry": _("Ethics expiry"),
    "publication_date": _("Planned publication date"),
    "countries_of_use": _("Countries of use"),
    "sensitive_research": _("Sensitive research"),
}


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
        "documents": documents_snapshot(access_request),
    }


def documents_snapshot(access_request: AccessRequest) -> list[dict[str, Any]]:
    """The request's current documents as a review basis records them (kind, name, size, SHA-256), in order:
    what the committee reviews with the request (governance.services.documents)."""
    documents = access_request.documents.filter(removed_at__isnull=True).order_by("kind", "uploaded_at", "id")
    return [
        {
            "id": document.pk,
            "kind": document.kind,
            "filename": document.filename,
            "byte_size": document.byte_size,
            "sha256": document.sha256,
        }
        for document in documents
    ]


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


def _shown(name: str, value: Any) -> Any:
    """A frozen value as the reader reads it: yes/no, dates in the active language's format, lists joined."""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if name in _DATE_FIELDS and value:
        return formats.date_format(_date(value), "DATE_FORMAT")
    if isinstance(value, list):
        return ", ".join(str(part) for part in value)
    return value


def basis_display(basis: ReviewBasis) -> list[tuple[str, Any]]:
    """The frozen request fields as (label, value) pairs in the active language, for the review page."""
    fields = basis.intended_use["fields"]
    # A basis frozen before a field existed does not hold it: it is shown as not given.
    return [(str(_FIELD_LABELS[name]), _shown(name, fields.get(name))) for name in INTENDED_USE_FIELDS]


@dataclasses.dataclass(frozen=True)
class ConsentReport:
    """One active consent of the dataset and what it says about the frozen use: the lines of the full
    consent-match report (each term with its DUO label, the consent's own verdict)."""

    consent: ConsentConditions
    permission_label: str
    modifier_labels: tuple[tuple[str, str], ...]
    verdict: Verdict


def match_report(item: AccessRequestItem, *, today: datetime.date) -> list[ConsentReport]:
    """Every active consent of ``item``'s dataset matched, one by one, against the use the committee decides on
    (the frozen basis; the request as it is when no basis was recorded). The overall verdict is the union of
    these (catalogue.consent_matching.match_use); this is the per-consent breakdown behind it."""
    conditions = consent_conditions_of(item.dataset)
    use = basis_use(item.basis) if item.basis is not None else selectors.intended_use_of(item.request)
    codes = {condition.permission for condition in conditions} | {
        modifier.code for condition in conditions for modifier in condition.modifiers
    }
    labels = {term.short_code: term.display_label for term in DuoTerm.objects.filter(short_code__in=codes)}
    return [
        ConsentReport(
            consent=condition,
            permission_label=labels.get(condition.permission, ""),
            modifier_labels=tuple((modifier.code, labels.get(modifier.code, "")) for modifier in condition.modifiers),
            verdict=match_consent(use, condition, today),
        )
        for condition in conditions
    ]


def previous_basis(item: AccessRequestItem) -> ReviewBasis | None:
    """The basis of the last round the committee reviewed before the current one (None in the first round)."""
    if item.basis is None:
        return None
    return (
        ReviewBasis.objects.filter(item=item, review_round__lt=item.basis.review_round)
        .order_by("-review_round", "-id")
        .first()
    )


def basis_changes(before: ReviewBasis, after: ReviewBasis) -> list[tuple[str, Any, Any]]:
    """What changed between two bases of an item, as (label, before, after) for every request field that differs,
    then the consents matched when they differ (their labels and terms, one line each)."""
    old, new = dict(basis_display(before)), dict(basis_display(after))
    changes = [(label, old[label], value) for label, value in new.items() if old.get(label) != value]
    if before.intended_use.get("title") != after.intended_use.get("title"):
        changes.insert(0, (gettext("Title"), before.intended_use.get("title"), after.intended_use.get("title")))
    changes.extend(_document_changes(before.intended_use.get("documents", []), after.intended_use.get("documents", [])))
    if before.consent_conditions != after.consent_conditions:
        changes.append(
            (
                gettext("Consents matched"),
                _conditions_text(before.consent_conditions),
                _conditions_text(after.consent_conditions),
            )
        )
    return changes


def _document_text(document: dict[str, Any]) -> str:
    kind = DocumentKind(document["kind"]).label if document["kind"] in DocumentKind.values else document["kind"]
    return f"{kind}: {document['filename']} (SHA-256 {document['sha256'][:12]}…)"


def _document_changes(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[tuple[str, Any, Any]]:
    """One (label, before, after) row per document removed and per document added between two bases; a document
    is the same when its content is (its SHA-256), so a re-uploaded identical file is no change."""
    old, new = {d["sha256"]: d for d in before}, {d["sha256"]: d for d in after}
    removed = [(gettext("Document removed"), _document_text(d), None) for sha, d in old.items() if sha not in new]
    added = [(gettext("Document added"), None, _document_text(d)) for sha, d in new.items() if sha not in old]
    return removed + added


def _conditions_text(conditions: list[dict[str, Any]]) -> str:
    return "; ".join(
        " · ".join(
            [f"{condition['label']}: {condition['permission']}"]
            + [modifier["code"] for modifier in condition.get("modifiers", [])]
        )
        for condition in conditions
    )
