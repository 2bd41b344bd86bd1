"""A dataset's consents: one GA4GH DUO data-use permission plus modifiers (with their parameters).

Rules enforced here (and reported per field as ``ValidationError``):

* ``permission`` must be a DUO *permission* term (GRU, HMB, DS, POA, NRES), named by id
  (``DUO:0000007``) or short code (``DS``); an unknown code is named in the error;
* ``DS`` needs a ``disease`` from the controlled list, and only DS takes one;
* every modifier must be a DUO *modifier* term, at most once per consent;
* ``MOR`` (publication moratorium) and ``TS`` (time limit) need an ``until`` date; other modifiers take none;
* ``participant_count`` is not negative; ``form_version`` is unique within the dataset.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from catalogue.models import Consent, Dataset, DataUseModifier, DiseaseArea, DuoKind, DuoTerm
from catalogue.search.outbox import record_dataset_changes
from catalogue.services.common import require_curator
from catalogue.signals import consent_withdrawn

DS = "DUO:0000007"
DATED_MODIFIERS = {"MOR", "TS"}


@dataclass(frozen=True)
class ModifierSpec:
    """A modifier to put on a consent: DUO id or short code, and its parameter if it has one."""

    term: str
    until: datetime.date | None = None
    value: str = ""


def duo_term_lookup(code: str) -> DuoTerm | None:
    """The DUO term named by id (``DUO:0000045``) or short code (``NPU``, case-insensitive), or None."""
    code = (code or "").strip()
    if code.upper().startswith("DUO:"):
        return DuoTerm.objects.filter(pk=code.upper()).first()
    if not code:
        return None
    return DuoTerm.objects.filter(short_code__iexact=code).first()


def _resolve_permission(code: str, errors: dict[str, list[str]]) -> DuoTerm | None:
    term = duo_term_lookup(code)
    if term is None:
        errors["permission"] = [f"Unknown DUO term {code!r}."]
    elif term.kind != DuoKind.PERMISSION or not term.short_code:
        errors["permission"] = [
            f"{term.short_code or term.pk} ({term.label}) is not a data-use permission; "
            "use one of GRU, HMB, DS, POA, NRES."
        ]
        term = None
    return term


def _resolve_modifiers(specs: Sequence[ModifierSpec], errors: dict[str, list[str]]) -> list[DataUseModifier]:
    messages: list[str] = []
    modifiers: list[DataUseModifier] = []
    seen: set[str] = set()
    for spec in specs:
        term = duo_term_lookup(spec.term)
        if term is None:
            messages.append(f"Unknown DUO term {spec.term!r}.")
            continue
        code = term.short_code or term.pk
        if term.kind != DuoKind.MODIFIER or not term.short_code:
            messages.append(f"{code} ({term.label}) is not a data-use modifier.")
            continue
        if term.pk in seen:
            messages.append(f"{code} is listed twice.")
            continue
        seen.add(term.pk)
        if code in DATED_MODIFIERS and spec.until is None:
            messages.append(f"{code} ({term.label}) needs a date.")
        elif code not in DATED_MODIFIERS and spec.until is not None:
            messages.append(f"{code} takes no date; only MOR and TS do.")
        if len(spec.value) > 300:
            messages.append(f"{code}: the parameter must be at most 300 characters.")
        modifiers.append(DataUseModifier(term=term, until=spec.until, value=spec.value.strip()))
    if messages:
        errors["modifiers"] = messages
    return modifiers


def _validate_and_save(consent: Consent, permission_code: str, modifiers: Sequence[ModifierSpec] | None) -> Consent:
    errors: dict[str, list[str]] = {}
    permission = _resolve_permission(permission_code, errors)
    if permission is not None:
        consent.permission = permission
        if permission.pk == DS and consent.disease_id is None:
            errors["disease"] = ["Disease-specific research (DS) needs the disease it is restricted to."]
        if permission.pk != DS and consent.disease_id is not None:
            errors["disease"] = ["Only a disease-specific (DS) consent names a disease."]
    new_modifiers = _resolve_modifiers(modifiers, errors) if modifiers is not None else None
    duplicate = Consent.objects.filter(dataset_id=consent.dataset_id, form_version=consent.form_version)
    if duplicate.exclude(pk=consent.pk).exists():
        errors["form_version"] = [f"This dataset already has a consent with form version {consent.form_version!r}."]
    if consent.participant_count is not None and consent.participant_count < 0:
        errors["participant_count"] = ["Ensure this value is greater than or equal to 0."]
    try:
        consent.full_clean(exclude=["permission", "dataset", *errors], validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    consent.save()
    if new_modifiers is not None:
        consent.modifiers.all().delete()
        for modifier in new_modifiers:
            modifier.consent = consent
        DataUseModifier.objects.bulk_create(new_modifiers)
    record_dataset_changes([consent.dataset_id])
    return consent


@transaction.atomic
def consent_create(
    *,
    actor: AbstractBaseUser,
    dataset: Dataset,
    form_version: str,
    permission: str,
    disease: DiseaseArea | None = None,
    participant_count: int | None = None,
    modifiers: Sequence[ModifierSpec] = (),
) -> Consent:
    """Add a consent (permission + modifiers) to ``dataset``."""
    require_curator(actor=actor, partner=dataset.partner)
    consent = Consent(dataset=dataset, form_version=form_version, disease=disease, participant_count=participant_count)
    return _validate_and_save(consent, permission, modifiers)


_UNSET: object = object()


@transaction.atomic
def consent_update(
    *,
    actor: AbstractBaseUser,
    consent: Consent,
    form_version: str | None = None,
    permission: str | None = None,
    disease: DiseaseArea | object | None = _UNSET,
    participant_count: int | object | None = _UNSET,
    modifiers: Sequence[ModifierSpec] | None = None,
) -> Consent:
    """Change a consent. Arguments left out keep their value; ``modifiers``, when given, replace all modifiers."""
    require_curator(actor=actor, partner=consent.dataset.partner)
    consent = Consent.objects.select_for_update().select_related("dataset", "permission").get(pk=consent.pk)
    if form_version is not None:
        consent.form_version = form_version
    if disease is not _UNSET:
        consent.disease = disease  # type: ignore[assignment]
    if participant_count is not _UNSET:
        consent.participant_count = participant_count  # type: ignore[assignment]
    return _validate_and_save(consent, permission or consent.permission_id, modifiers)


@transaction.atomic
def consent_set(
    *,
    actor: AbstractBaseUser,
    dataset: Dataset,
    form_version: str,
    permission: str,
    disease: DiseaseArea | None = None,
    participant_count: int | None = None,
    modifiers: Sequence[ModifierSpec] = (),
) -> Consent:
    """Create or replace (matched on ``form_version``) the consent of ``dataset`` — for imports and scripts."""
    existing = Consent.objects.filter(dataset=dataset, form_version=form_version).first()
    if existing is None:
        return consent_create(
            actor=actor,
            dataset=dataset,
            form_version=form_version,
            permission=permission,
            disease=disease,
            participant_count=participant_count,
            modifiers=modifiers,
        )
    return consent_update(
        actor=actor,
        consent=existing,
        permission=permission,
        disease=disease,
        participant_count=participant_count,
        modifiers=modifiers,
    )


@transaction.atomic
def consent_withdraw(*, actor: AbstractBaseUser, consent: Consent) -> Consent:
    """Mark the consent withdrawn (idempotent: the first withdrawal date is kept) and send
    ``catalogue.signals.consent_withdrawn`` inside the transaction, so live access grants end with it."""
    require_curator(actor=actor, partner=consent.dataset.partner)
    consent = Consent.objects.select_for_update().select_related("dataset", "permission").get(pk=consent.pk)
    if consent.withdrawn_at is None:
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        record_dataset_changes([consent.dataset_id])
        consent_withdrawn.send(sender=Consent, consent=consent, actor=actor)
    return consent


@transaction.atomic
def consent_delete(*, actor: AbstractBaseUser, consent: Consent) -> None:
    require_curator(actor=actor, partner=consent.dataset.partner)
    dataset_id = consent.dataset_id
    consent.delete()
    record_dataset_changes([dataset_id])


#: How each DUO term reads in a sentence. DS and the dated/parameterised modifiers are worded in code.
_PLAIN_PERMISSIONS = {
    "GRU": "General research use",
    "HMB": "Health/medical/biomedical research",
    "POA": "Population origins or ancestry research only",
    "NRES": "No restriction",
}
_PLAIN_MODIFIERS = {
    "NPU": "not-for-profit organisations only",
    "NCU": "non-commercial use only",
    "NPUNCU": "non-profit, non-commercial use only",
    "PUB": "publication required",
    "COL": "collaboration with the data holder required",
    "IRB": "ethics approval required",
    "RTN": "results returned to the resource",
    "CC": "clinical care use allowed",
    "NPOA": "no population origins or ancestry research",
    "NMDS": "no general methods research",
    "GSO": "genetic studies only",
    "GS": "geographical restriction",
    "US": "user-specific restriction",
    "PS": "project-specific restriction",
    "IS": "institution-specific restriction",
    "RS": "research-specific restrictions",
}


def consent_plain_words(consent: Consent) -> str:
    """The consent in a line of plain words, e.g.
    "Health/medical/biomedical research · non-profit, non-commercial use only · publication required".

    Uses ``consent.permission``, ``consent.disease`` and ``consent.modifiers.all()`` — prefetch
    ``modifiers__term`` (and select ``permission``, ``disease``) when rendering many consents.
    """
    code = consent.permission.short_code
    if code == "DS":
        disease = consent.disease.name if consent.disease else "a named disease"
        parts = [f"Research on {disease} only"]
    else:
        parts = [_PLAIN_PERMISSIONS.get(code, consent.permission.label.capitalize())]
    for modifier in consent.modifiers.all():
        mod_code = modifier.term.short_code
        if mod_code == "MOR":
            parts.append(f"no publication before {modifier.until:%-d %B %Y}" if modifier.until else "moratorium")
        elif mod_code == "TS":
            parts.append(f"use permitted until {modifier.until:%-d %B %Y}" if modifier.until else "time-limited")
        else:
            words = _PLAIN_MODIFIERS.get(mod_code, modifier.term.label)
            parts.append(f"{words}: {modifier.value}" if modifier.value else words)
    return " · ".join(parts)
