"""A dataset's consents: one GA4GH DUO data-use permission plus modifiers (with their parameters).

Rules enforced here (and reported per field as ``ValidationError``):

* ``permission`` must be a DUO *permission* term (GRU, HMB, DS, POA, NRES), named by id
  (``DUO:0000007``) or short code (``DS``); an unknown code is named in the error;
* ``DS`` needs one or more ``diseases`` (MONDO terms of the shipped subset, named by MONDO id or disease-area
  code; an unknown one is named in the error), and only DS takes any;
* every modifier must be a DUO *modifier* term, at most once per consent, and the terms must not contradict each
  other or the permission (:func:`catalogue.duo_rules.contradictions`, e.g. POA with NPOA);
* ``MOR`` (publication moratorium) and ``TS`` (time limit) need an ``until`` date; other modifiers take none;
* ``GS`` lists ISO 3166-1 countries and ``IS`` the partners (slugs or short names) it admits; an unknown country
  or institution is named in the error;
* ``participant_count`` is not negative; ``form_version`` is unique among the dataset's active consents.

Versions. A draft dataset's consents are edited and deleted in place (nothing has been decided on them). Once
the dataset is published (or retired), a consent is history that decisions rest on:

* ``consent_update`` makes a new version (``version`` + 1, ``supersedes`` the old) and withdraws the old one;
* ``consent_delete`` withdraws the consent instead of deleting it, and refuses to remove the last active one
  (the dataset would admit no use: add the new consent first, or retire the dataset);
* both send ``catalogue.signals.consents_changed`` inside the transaction: governance re-checks every open
  decision on the dataset against the consents now active (revoking grants, re-opening items they no longer
  cover). ``consent_withdraw`` (participants withdrew their consent) sends ``consent_withdrawn``: every live
  grant on the dataset ends.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from audit.services import audit_record
from catalogue.consent_matching import parameter_codes
from catalogue.countries import COUNTRIES
from catalogue.duo_rules import contradictions
from catalogue.models import Consent, Dataset, DatasetStatus, DataUseModifier, DuoKind, DuoTerm, MondoTerm, Partner
from catalogue.search.outbox import record_dataset_changes
from catalogue.selectors import mondo_term_for, unknown_disease_message
from catalogue.services.common import field_values, require_curator
from catalogue.signals import consent_withdrawn, consents_changed
from harmony.wording import in_site_language

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
        errors["permission"] = [_("Unknown DUO term %(code)s.") % {"code": repr(code)}]
    elif term.kind != DuoKind.PERMISSION or not term.short_code:
        errors["permission"] = [
            _("%(term)s (%(label)s) is not a data-use permission; use one of GRU, HMB, DS, POA, NRES.")
            % {"term": term.short_code or term.pk, "label": term.label}
        ]
        term = None
    return term


def _resolve_diseases(identifiers: Sequence[MondoTerm | str], errors: dict[str, list[str]]) -> list[MondoTerm]:
    terms: list[MondoTerm] = []
    unknown: list[str] = []
    for identifier in identifiers:
        term = identifier if isinstance(identifier, MondoTerm) else mondo_term_for(identifier)
        if term is None:
            unknown.append(unknown_disease_message(str(identifier)))
        elif term not in terms:
            terms.append(term)
    if unknown:
        errors["diseases"] = unknown
    return terms


def _country_parameter(code: str, value: str) -> tuple[str, list[str]]:
    """GS: the countries, upper-cased and comma-separated; messages for the unknown ones."""
    countries = [part.upper() for part in parameter_codes(value)]
    messages = [
        _("%(code)s: unknown country %(country)s; use ISO 3166-1 alpha-2 codes such as DE, FR, IT.")
        % {"code": code, "country": repr(country)}
        for country in countries
        if country not in COUNTRIES
    ]
    if not countries:
        messages.append(
            _("%(code)s (geographical restriction) needs the countries it admits, e.g. DE, AT, CH.") % {"code": code}
        )
    return ", ".join(countries), messages


def _institution_parameter(code: str, value: str) -> tuple[str, list[str]]:
    """IS: the partners, as slugs, comma-separated; messages for the unknown ones (a partner may be named by its
    slug or short name, any case)."""
    slugs: list[str] = []
    messages: list[str] = []
    for name in parameter_codes(value):
        partner = (
            Partner.objects.filter(slug__iexact=name).first() or Partner.objects.filter(short_name__iexact=name).first()
        )
        if partner is None:
            messages.append(
                _("%(code)s: unknown institution %(name)s; name registered partners by slug or short name.")
                % {"code": code, "name": repr(name)}
            )
        elif partner.slug not in slugs:
            slugs.append(partner.slug)
    if not slugs and not messages:
        messages.append(
            _("%(code)s (institution-specific restriction) needs the institutions it admits.") % {"code": code}
        )
    return ", ".join(slugs), messages


def _resolve_modifiers(specs: Sequence[ModifierSpec], errors: dict[str, list[str]]) -> list[DataUseModifier]:
    messages: list[str] = []
    modifiers: list[DataUseModifier] = []
    seen: set[str] = set()
    for spec in specs:
        term = duo_term_lookup(spec.term)
        if term is None:
            messages.append(_("Unknown DUO term %(code)s.") % {"code": repr(spec.term)})
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
        value = spec.value.strip()
        if len(value) > 300:
            messages.append(_("%(code)s: the parameter must be at most 300 characters.") % {"code": code})
        elif code == "GS":
            value, problems = _country_parameter(code, value)
            messages.extend(problems)
        elif code == "IS":
            value, problems = _institution_parameter(code, value)
            messages.extend(problems)
        modifiers.append(DataUseModifier(term=term, until=spec.until, value=value))
    if messages:
        errors["modifiers"] = messages
    return modifiers


def _audited_facts(consent: Consent) -> dict[str, Any]:
    """What a consent says, as its audit events record it (modifiers with their parameters)."""
    facts = field_values(
        consent, ["dataset", "form_version", "version", "permission", "participant_count", "withdrawn_at"]
    )
    facts["diseases"] = sorted(consent.diseases.values_list("pk", flat=True)) if consent.pk else []
    facts["modifiers"] = [[m.term_id, m.until, m.value] for m in consent.modifiers.order_by("term_id")]
    return facts


def _validate_and_save(
    consent: Consent,
    permission_code: str,
    diseases: Sequence[MondoTerm | str],
    modifiers: Sequence[ModifierSpec] | None,
) -> Consent:
    """Check every rule of the module docstring, then save the consent with exactly ``diseases`` and (when given)
    ``modifiers``; raises ``ValidationError`` per field and writes nothing when any rule fails."""
    errors: dict[str, list[str]] = {}
    permission = _resolve_permission(permission_code, errors)
    terms = _resolve_diseases(diseases, errors)
    if permission is not None and "diseases" not in errors:
        consent.permission = permission
        if permission.pk == DS and not terms:
            errors["diseases"] = [_("Disease-specific research (DS) needs the disease it is restricted to.")]
        if permission.pk != DS and terms:
            errors["diseases"] = [_("Only a disease-specific (DS) consent names diseases.")]
    elif permission is not None:
        consent.permission = permission
    new_modifiers = _resolve_modifiers(modifiers, errors) if modifiers is not None else None
    if permission is not None and "modifiers" not in errors:
        if new_modifiers is not None:
            codes = [m.term.short_code for m in new_modifiers]
        else:  # a draft consent edited in place keeps its modifiers
            codes = list(consent.modifiers.values_list("term__short_code", flat=True)) if consent.pk else []
        found = contradictions(permission.short_code, codes)
        if found:
            errors["modifiers"] = [item.message for item in found]
    duplicate = Consent.objects.filter(
        dataset_id=consent.dataset_id, form_version=consent.form_version, withdrawn_at__isnull=True
    )
    if duplicate.exclude(pk=consent.pk).exists():
        errors["form_version"] = [
            _("This dataset already has a consent with form version %(version)s.")
            % {"version": repr(consent.form_version)}
        ]
    if consent.participant_count is not None and consent.participant_count < 0:
        errors["participant_count"] = [_("Ensure this value is greater than or equal to 0.")]
    try:
        consent.full_clean(exclude=["permission", "dataset", *errors], validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    if consent.pk is None:
        earlier = Consent.objects.filter(dataset_id=consent.dataset_id, form_version=consent.form_version)
        consent.version = max(earlier.values_list("version", flat=True), default=0) + 1
    consent.save()
    consent.diseases.set(terms)
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
    diseases: Sequence[MondoTerm | str] = (),
    participant_count: int | None = None,
    modifiers: Sequence[ModifierSpec] = (),
) -> Consent:
    """Add a consent (permission, DS diseases, modifiers) to ``dataset``."""
    require_curator(actor=actor, partner=dataset.partner)
    consent = Consent(dataset=dataset, form_version=form_version, participant_count=participant_count)
    consent = _validate_and_save(consent, permission, diseases, modifiers)
    audit_record(actor=actor, action="consent.create", obj=consent, after=_audited_facts(consent))
    return consent


_UNSET: object = object()


@transaction.atomic
def consent_update(
    *,
    actor: AbstractBaseUser,
    consent: Consent,
    form_version: str | None = None,
    permission: str | None = None,
    diseases: Sequence[MondoTerm | str] | None = None,
    participant_count: int | object | None = _UNSET,
    modifiers: Sequence[ModifierSpec] | None = None,
) -> Consent:
    """Change a consent. Arguments left out keep their value; ``diseases`` and ``modifiers``, when given, replace
    all of them.

    On a draft dataset the consent changes in place. Otherwise the change is a new version that supersedes
    the consent, which is withdrawn; ``consents_changed`` is sent so governance re-checks the decisions on the
    dataset. Returns the consent as it now stands (the new version, if one was made).
    """
    require_curator(actor=actor, partner=consent.dataset.partner)
    consent = Consent.objects.select_for_update().select_related("dataset", "permission").get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        raise ValidationError({"consent": [_("A withdrawn consent cannot be changed; it is kept as history.")]})
    versioned = consent.dataset.status != DatasetStatus.DRAFT
    previous = consent
    before = _audited_facts(previous)
    if diseases is None:
        diseases = list(previous.diseases.all())
    if versioned:
        if modifiers is None:
            modifiers = [ModifierSpec(m.term_id, m.until, m.value) for m in previous.modifiers.all()]
        # The old version steps aside first, so the new one may carry the same form version.
        Consent.objects.filter(pk=previous.pk).update(withdrawn_at=timezone.now())
        consent = Consent(
            dataset=previous.dataset,
            form_version=previous.form_version,
            participant_count=previous.participant_count,
            supersedes=previous,
        )
    if form_version is not None:
        consent.form_version = form_version
    if participant_count is not _UNSET:
        consent.participant_count = participant_count  # type: ignore[assignment]
    consent = _validate_and_save(consent, permission or previous.permission_id, diseases, modifiers)
    audit_record(
        actor=actor,
        action="consent.revise" if versioned else "consent.update",
        obj=consent,
        before={**before, "consent_id": previous.pk},
        after=_audited_facts(consent),
    )
    if versioned:
        consents_changed.send(
            sender=Consent,
            dataset=consent.dataset,
            actor=actor,
            reason=in_site_language(
                gettext_noop("Consent form %(form)s was revised (version %(version)s)."),
                form=previous.form_version,
                version=consent.version,
            ),
        )
    return consent


@transaction.atomic
def consent_set(
    *,
    actor: AbstractBaseUser,
    dataset: Dataset,
    form_version: str,
    permission: str,
    diseases: Sequence[MondoTerm | str] = (),
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
            diseases=diseases,
            participant_count=participant_count,
            modifiers=modifiers,
        )
    return consent_update(
        actor=actor,
        consent=existing,
        permission=permission,
        diseases=diseases,
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
        audit_record(
            actor=actor,
            action="consent.withdraw",
            obj=consent,
            before={"withdrawn_at": None},
            after=_audited_facts(consent),
        )
        consent_withdrawn.send(sender=Consent, consent=consent, actor=actor)
    return consent


LAST_CONSENT = gettext_lazy(
    "The last active consent of a published dataset cannot be removed: access requests are matched against it. "
    "Add the consent that replaces it first, or retire the dataset."
)


@transaction.atomic
def consent_delete(*, actor: AbstractBaseUser, consent: Consent) -> None:
    """Remove a consent: deleted from a draft dataset; withdrawn (kept as history) from a published or retired
    one, where the last active consent cannot be removed and ``consents_changed`` is sent."""
    require_curator(actor=actor, partner=consent.dataset.partner)
    consent = Consent.objects.select_for_update().select_related("dataset").get(pk=consent.pk)
    dataset = consent.dataset
    before = _audited_facts(consent)
    if dataset.status == DatasetStatus.DRAFT:
        audit_record(actor=actor, action="consent.delete", obj=consent, before=before)
        consent.delete()
        record_dataset_changes([dataset.pk])
        return
    if consent.withdrawn_at is not None:
        raise ValidationError({"consent": [_("This consent is already withdrawn; it is kept as history.")]})
    active = Consent.objects.select_for_update().filter(dataset=dataset, withdrawn_at__isnull=True)
    if not active.exclude(pk=consent.pk).exists():
        raise ValidationError({"consent": [LAST_CONSENT]})
    withdrawn_at = timezone.now()
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at=withdrawn_at)
    record_dataset_changes([dataset.pk])
    audit_record(actor=actor, action="consent.remove", obj=consent, before=before, after={"withdrawn_at": withdrawn_at})
    consents_changed.send(
        sender=Consent,
        dataset=dataset,
        actor=actor,
        reason=in_site_language(gettext_noop("Consent form %(form)s was removed."), form=consent.form_version),
    )


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

    Uses ``consent.permission``, ``consent.diseases.all()`` and ``consent.modifiers.all()`` — prefetch
    ``modifiers__term`` and ``diseases`` (and select ``permission``) when rendering many consents.
    """
    code = consent.permission.short_code
    if code == "DS":
        names = sorted(term.name for term in consent.diseases.all())
        disease = " or ".join(names) if names else "a named disease"
        parts = [f"Research on {disease} only"]
    else:
        parts = [_PLAIN_PERMISSIONS.get(code, consent.permission.display_label.capitalize())]
    for modifier in consent.modifiers.all():
        mod_code = modifier.term.short_code
        if mod_code == "MOR":
            parts.append(f"no publication before {modifier.until:%-d %B %Y}" if modifier.until else "moratorium")
        elif mod_code == "TS":
            parts.append(f"use permitted until {modifier.until:%-d %B %Y}" if modifier.until else "time-limited")
        else:
            words = _PLAIN_MODIFIERS.get(mod_code, modifier.term.display_label)
            parts.append(f"{words}: {modifier.value}" if modifier.value else words)
    return " · ".join(parts)
