"""Consent enforcement: does an intended use fall within a dataset's GA4GH DUO conditions?

A pure module — plain dataclasses in, a :class:`Verdict` out, no database — so
every rule is unit-tested in tests/catalogue/test_consent_matching.py. It lives in ``catalogue`` (below
``governance``) because both apps ask it: governance blocks approvals with it, search filters discovery by a
researcher's intended use with it, so the two can never disagree. The adapter from catalogue rows is
catalogue.selectors.consent_conditions_of.

Rules (after DataBiosphere/consent-ontology docs/Algorithms.md, "version 2"):

Permission of the consent → research purposes it admits

====== ==============================================================
NRES   every purpose
GRU    every purpose: DS, HMB, GRU (general, incl. non-medical), POA
HMB    HMB and DS (disease research is medical research); not GRU or POA
DS-X   DS-Y only where X is Y or an ancestor of Y (DS-NHL admits DLBCL)
POA    POA only
====== ==============================================================

Modifiers

- NPOA: forbids POA research.
- NCU: forbids commercial use. NPU: forbids use by for-profit organisations and
  commercial use. NPUNCU: both.
- PUB: the requester must commit to publishing. COL: a collaboration with the
  holder is required. GSO: only genetic studies.
- IRB: an ethics approval reference whose expiry is after ``today``.
- NMDS: methods development only when the DS disease matches (as Algorithms.md).
- TS (date): the requested period must end on or before the date, and the date
  must not have passed.
- MOR (date): never blocking. DUO defines it as the requester's agreement not to
  publish before the date — an obligation for the data-sharing agreement, not a
  limit on the use — so a future moratorium adds a note the DAC and requester see.
- GS, US, PS, IS, RS (and unknown modifiers): cannot be checked automatically;
  they add a "needs DAC review" note and do not block. RTN adds an obligation
  note. CC (clinical care use) widens the use and restricts nothing.

A dataset may have several consents (one per consent-form version): the use must
be admitted by every consent that is not withdrawn (the strictest wins); a
dataset with no active consent admits nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

PURPOSES = ("DS", "HMB", "GRU", "POA")
PURPOSE_LABELS = {
    "DS": "disease-specific research",
    "HMB": "health/medical/biomedical research",
    "GRU": "general research",
    "POA": "population origins or ancestry research",
}
# Notes that begin so ask the DAC to check a restriction the matcher cannot; search shows such a use as
# "needs review" rather than "admitted" (catalogue.search.intended_use).
REVIEW_NOTE_PREFIX = "Needs DAC review"
REVIEW_ONLY_MODIFIERS = {
    "GS": "geographical restriction",
    "US": "user-specific restriction",
    "PS": "project-specific restriction",
    "IS": "institution-specific restriction",
    "RS": "research-specific restriction",
}


@dataclass(frozen=True)
class IntendedUse:
    """What the requester says they will do, in DUO terms."""

    purpose: str
    disease_lineage: frozenset[str] = frozenset()  # the requested disease's code and its ancestors' codes
    disease_name: str = ""
    commercial: bool = False
    for_profit: bool = False  # the requesting organisation is a for-profit body
    will_publish: bool = False
    collaboration_with_holder: bool = False
    methods_development: bool = False
    genetic_studies: bool = False
    ethics_reference: str = ""
    ethics_expiry: datetime.date | None = None
    end: datetime.date | None = None


@dataclass(frozen=True)
class Modifier:
    code: str  # DUO short code, e.g. "NPU"
    until: datetime.date | None = None
    value: str = ""


@dataclass(frozen=True)
class ConsentConditions:
    """One active consent of a dataset: a DUO permission plus modifiers."""

    label: str  # how reasons name the consent, e.g. "consent v2.0"
    permission: str  # NRES, GRU, HMB, DS or POA
    disease_code: str = ""
    disease_name: str = ""
    modifiers: tuple[Modifier, ...] = ()


@dataclass(frozen=True)
class Verdict:
    """``compatible`` is False iff ``reasons`` is non-empty; ``notes`` never block (DAC review, obligations)."""

    compatible: bool
    reasons: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)


def match_use(use: IntendedUse, consents: Sequence[ConsentConditions], today: datetime.date) -> Verdict:
    """Match ``use`` against every active consent of a dataset; every one must admit it."""
    if not consents:
        return Verdict(False, ("The dataset has no active consent, so no use can be admitted.",))
    reasons: list[str] = []
    notes: list[str] = []
    for consent in consents:
        verdict = match_consent(use, consent, today)
        prefix = f"{consent.label}: " if len(consents) > 1 else ""
        reasons.extend(prefix + reason for reason in verdict.reasons)
        notes.extend(prefix + note for note in verdict.notes)
    return Verdict(not reasons, tuple(reasons), tuple(dict.fromkeys(notes)))


def match_consent(use: IntendedUse, consent: ConsentConditions, today: datetime.date) -> Verdict:
    """Match ``use`` against one consent's permission and modifiers."""
    reasons = _permission_reasons(use, consent)
    notes: list[str] = []
    for modifier in consent.modifiers:
        blocking, note = _modifier_findings(use, consent, modifier, today)
        reasons.extend(blocking)
        if note:
            notes.append(note)
    return Verdict(not reasons, tuple(reasons), tuple(notes))


def _disease_matches(use: IntendedUse, consent: ConsentConditions) -> bool:
    return use.purpose == "DS" and consent.disease_code in use.disease_lineage


def _permission_reasons(use: IntendedUse, consent: ConsentConditions) -> list[str]:
    purpose = PURPOSE_LABELS.get(use.purpose)
    if purpose is None:
        return [f"Unknown research purpose {use.purpose!r}."]
    permission = consent.permission
    if permission in ("NRES", "GRU"):
        return []
    if permission == "HMB":
        if use.purpose in ("HMB", "DS"):
            return []
        return [f"The consent (HMB) admits only health/medical/biomedical research, not {purpose}."]
    if permission == "DS":
        disease = consent.disease_name or consent.disease_code
        if use.purpose != "DS":
            return [f"The consent (DS) admits only research on {disease}, not {purpose}."]
        if not _disease_matches(use, consent):
            return [
                f"The consent (DS) admits only research on {disease}; research on {use.disease_name} is not covered."
            ]
        return []
    if permission == "POA":
        if use.purpose == "POA":
            return []
        return [f"The consent (POA) admits only population origins or ancestry research, not {purpose}."]
    return [f"Unknown data use permission {permission!r}: the use cannot be admitted."]


def _modifier_findings(
    use: IntendedUse, consent: ConsentConditions, modifier: Modifier, today: datetime.date
) -> tuple[list[str], str]:
    """Blocking reasons and an optional note for one modifier."""
    code = modifier.code
    if code == "NPOA" and use.purpose == "POA":
        return ["Population origins or ancestry research is prohibited (NPOA)."], ""
    if code in ("NPU", "NCU", "NPUNCU"):
        reasons = []
        if use.commercial:
            reasons.append(f"Commercial use is prohibited ({code}).")
        if code != "NCU" and use.for_profit:
            reasons.append(f"Use by for-profit organisations is prohibited ({code}).")
        return reasons, ""
    if code == "PUB" and not use.will_publish:
        return ["The consent requires the results to be published (PUB); the request does not commit to it."], ""
    if code == "COL" and not use.collaboration_with_holder:
        return ["The consent requires a collaboration with the data holder (COL); none is declared."], ""
    if code == "GSO" and not use.genetic_studies:
        return ["The consent admits genetic studies only (GSO); the request is not a genetic study."], ""
    if code == "NMDS" and use.methods_development and not _disease_matches(use, consent):
        return ["Methods development is prohibited outside the consented disease (NMDS)."], ""
    if code == "IRB":
        return _ethics_reasons(use, today), ""
    if code == "TS":
        return _time_limit_reasons(use, modifier, today), ""
    if code == "MOR":
        if modifier.until is not None and modifier.until > today:
            return [], f"Publication moratorium (MOR): results may not be published before {modifier.until}."
        return [], ""
    if code in REVIEW_ONLY_MODIFIERS:
        detail = f": {modifier.value}" if modifier.value else ""
        return [], f"{REVIEW_NOTE_PREFIX} — {REVIEW_ONLY_MODIFIERS[code]} ({code}){detail}."
    if code == "RTN":
        return [], "Obligation (RTN): derived data must be returned to the resource."
    if code in ("NPOA", "PUB", "COL", "GSO", "NMDS", "CC"):
        return [], ""
    return [], f"{REVIEW_NOTE_PREFIX} — modifier {code} is not checked automatically."


def _ethics_reasons(use: IntendedUse, today: datetime.date) -> list[str]:
    if not use.ethics_reference.strip():
        return ["The consent requires ethics approval (IRB); no ethics reference is given."]
    if use.ethics_expiry is None:
        return ["The consent requires ethics approval (IRB); the approval's expiry date is missing."]
    if use.ethics_expiry < today:  # the expiry date is the approval's last valid day (inclusive)
        return [f"The consent requires ethics approval (IRB); the approval expired on {use.ethics_expiry}."]
    return []


def _time_limit_reasons(use: IntendedUse, modifier: Modifier, today: datetime.date) -> list[str]:
    if modifier.until is None:
        return []
    if modifier.until < today:
        return [f"The consent's time limit on use (TS) ended on {modifier.until}."]
    if use.end is None:
        return [f"The consent limits use until {modifier.until} (TS); the request has no end date."]
    if use.end > modifier.until:
        return [f"The consent limits use until {modifier.until} (TS); the requested end {use.end} is later."]
    return []
