"""Consent enforcement: does an intended use fall within a dataset's GA4GH DUO conditions?

A pure module — plain dataclasses in, a :class:`Verdict` out, no database — so every rule is unit-tested in
tests/catalogue/test_consent_matching*.py. It lives in ``catalogue`` (below ``governance``) because both apps ask
it: governance blocks approvals with it, search filters discovery by a researcher's intended use with it, so the
two can never disagree. The adapters from catalogue rows are catalogue.selectors.consent_conditions_of and
catalogue.search.intended_use.build_intended_use.

Rules (after DataBiosphere/consent-ontology docs/Algorithms.md, "version 2", and its DataUseMatcher tests, and
after CSCfi/rems ``check-duo-code``):

Permission of the consent → research purposes it admits

======= =====================================================================================
NRES    every purpose
GRU     every purpose: DS, HMB, GRU (general, incl. non-medical), POA, METHODS
HMB     HMB, DS (disease research is medical research) and METHODS; not GRU or POA
DS      DS on a disease at or below one of the consent's diseases (DS [NHL, MM] admits DLBCL),
        and METHODS when it names such a disease; never a disease above them (DS AML does not
        admit research on "hematologic cancer")
POA     POA only
======= =====================================================================================

Diseases are MONDO ids; a use carries its disease's lineage (the term and its ancestors in the shipped subset),
so "at or below" is set membership.

Modifiers

- NPOA: forbids POA research.
- NCU: forbids commercial use. NPU: forbids use by for-profit organisations and commercial use. NPUNCU: both.
- PUB: the requester must commit to publishing. COL: a collaboration with the holder is required. GSO: only
  genetic studies.
- IRB: an ethics approval reference whose expiry is after ``today``.
- NMDS: methods development (a METHODS purpose, or methods development within another purpose) only when the
  use's disease is within a DS consent's diseases.
- TS (date): the requested period must end on or before the date, and the date must not have passed.
- MOR (date): the requester's planned first publication must not be before the date; without a planned date, a
  moratorium that has not ended is a note (an obligation for the agreement).
- GS (ISO 3166-1 countries): every country where the data will be used must be listed; a use that names none
  needs committee review.
- IS (institutions, partner slugs): the requesting institution must be listed; a use that names none needs
  committee review.
- US, PS, RS (and unknown modifiers): cannot be checked automatically; they add a "needs committee review" note
  and do not block. RTN adds an obligation note. CC (clinical care use) widens the use and restricts nothing.

Sensitive research (after DUOS, which routes these to manual review whatever the consent): research on controls,
population origins, ancestry or structure, gender-specific, pediatric research, vulnerable populations, illegal
behaviour, sexually transmitted diseases, psychological traits, research not related to health, stigmatising
diseases, another purpose in free text. Each adds a "needs committee review" note naming it; none blocks.

A dataset may have several consents (one per consent-form version): the use must be admitted by every consent
that is not withdrawn (the strictest wins); a dataset with no active consent admits nothing.

Where this matcher deliberately departs from the consent-ontology algorithm (and from REMS); the first column is
the case's key (tests/catalogue/test_consent_matching_peers.py checks every differing peer case is listed):

=============================== ========================== ========================= ================================
Case                            consent-ontology / REMS    here                      why
=============================== ========================== ========================= ================================
METHODS on DS, no disease match approve (DUOS testMDS_     not admitted              DUO DS: use "related to the
                                positive_case_3)                                     specified disease"; methods work
                                                                                     on other diseases is not
METHODS on POA                  approve (DUOS testMDS_     not admitted              DUO POA: "limited to the study of
                                positive_case_2)                                     population origins or ancestry"
MOR, no planned date            REMS: not compatible       admitted, with a note     the moratorium is an obligation of
                                                                                     the agreement; the date may not
                                                                                     be known yet
MOR, planned date               consent-ontology: not      blocked when before the   REMS's rule: cheaper than a review
                                modelled                   moratorium ends
GS / IS, use states them        REMS: manual validation    checked: blocked when a   the registry knows the requesting
                                                           country or the            institution and the declared
                                                           institution is not listed countries
COL / IRB on the purpose side   DUOS: abstain              no effect                 a collaboration or an approval the
                                                                                     requester offers restricts nothing
commercial-allowed consent      DUOS: abstain (testCommer- admitted                  a consent without NCU/NPU/NPUNCU
                                cial_abstain_case_1)                                 restricts no such use
controls, pediatric, gender     Algorithms.md: admit on    needs committee review    RS is free text the matcher cannot
                                GRU/HMB, RS-PD, RS-G                                 read; DUOS's V3/V4 matchers
                                                                                     abstain too
=============================== ========================== ========================= ================================
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

PURPOSES = ("DS", "HMB", "GRU", "POA", "METHODS")
PURPOSE_LABELS = {
    "DS": "disease-specific research",
    "HMB": "health/medical/biomedical research",
    "GRU": "general research",
    "POA": "population origins or ancestry research",
    "METHODS": "methods development only",
}
# Notes that begin so ask the committee to check what the matcher cannot; search shows such a use as "needs
# committee review" rather than "admitted" (catalogue.search.intended_use), and so does governance.
REVIEW_NOTE_PREFIX = "Needs committee review"
REVIEW_ONLY_MODIFIERS = {
    "US": "user-specific restriction",
    "PS": "project-specific restriction",
    "RS": "research-specific restriction",
}
#: DUOS's sensitive research attributes: code → how a note names it.
SENSITIVE_RESEARCH = {
    "controls": "use of the data as controls",
    "population": "population origins, ancestry or structure",
    "gender": "gender-specific research",
    "pediatric": "pediatric research",
    "vulnerable_populations": "vulnerable populations",
    "illegal_behavior": "illegal behaviour",
    "sexual_diseases": "sexually transmitted diseases",
    "psychological_traits": "psychological traits",
    "not_health": "research not related to health",
    "stigmatized_diseases": "stigmatising diseases",
    "other": "another purpose described in free text",
}


@dataclass(frozen=True)
class IntendedUse:
    """What the requester says they will do, in DUO terms.

    ``disease_lineage`` is the studied disease's MONDO id with its ancestors' ids; ``countries`` are the ISO
    3166-1 codes of the countries where the data will be stored or analysed; ``institution`` is the requesting
    partner's slug; ``sensitive`` holds codes of :data:`SENSITIVE_RESEARCH`.
    """

    purpose: str
    disease_lineage: frozenset[str] = frozenset()
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
    publication_date: datetime.date | None = None
    countries: frozenset[str] = frozenset()
    institution: str = ""
    institution_name: str = ""
    sensitive: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Modifier:
    code: str  # DUO short code, e.g. "NPU"
    until: datetime.date | None = None
    value: str = ""  # GS: comma-separated ISO countries; IS: comma-separated partner slugs; US/PS/RS: free text


@dataclass(frozen=True)
class ConsentConditions:
    """One active consent of a dataset: a DUO permission plus modifiers; ``diseases`` (MONDO ids) for DS."""

    label: str  # how reasons name the consent, e.g. "consent v2.0"
    permission: str  # NRES, GRU, HMB, DS or POA
    diseases: tuple[str, ...] = ()
    disease_name: str = ""  # the diseases as reasons name them, e.g. "acute myeloid leukemia or multiple myeloma"
    modifiers: tuple[Modifier, ...] = ()


@dataclass(frozen=True)
class Verdict:
    """``compatible`` is False iff ``reasons`` is non-empty; ``notes`` never block (committee review, obligations)."""

    compatible: bool
    reasons: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def needs_review(self) -> bool:
        """Admitted as far as the matcher can tell, but a note asks the committee to check something."""
        return self.compatible and any(REVIEW_NOTE_PREFIX in note for note in self.notes)


def parameter_codes(value: str) -> list[str]:
    """A modifier parameter's list (GS countries, IS institutions): comma- or space-separated, in order, unique."""
    return list(dict.fromkeys(part for part in re.split(r"[,;\s]+", value.strip()) if part))


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
        notes.extend(prefix + note for note in verdict.notes if note not in _sensitive_notes(use))
    notes.extend(_sensitive_notes(use))
    return Verdict(not reasons, tuple(reasons), tuple(dict.fromkeys(notes)))


def match_consent(use: IntendedUse, consent: ConsentConditions, today: datetime.date) -> Verdict:
    """Match ``use`` against one consent's permission and modifiers (and the use's sensitive attributes)."""
    reasons = _permission_reasons(use, consent)
    notes: list[str] = []
    for modifier in consent.modifiers:
        blocking, note = _modifier_findings(use, consent, modifier, today)
        reasons.extend(blocking)
        if note:
            notes.append(note)
    notes.extend(_sensitive_notes(use))
    return Verdict(not reasons, tuple(reasons), tuple(notes))


def _sensitive_notes(use: IntendedUse) -> list[str]:
    return [
        f"{REVIEW_NOTE_PREFIX} — the research involves {SENSITIVE_RESEARCH.get(code, code)}."
        for code in sorted(use.sensitive)
    ]


def _is_methods(use: IntendedUse) -> bool:
    return use.purpose == "METHODS" or use.methods_development


def _disease_matches(use: IntendedUse, consent: ConsentConditions) -> bool:
    """The use studies a disease at or below one of the consent's DS diseases."""
    return use.purpose in ("DS", "METHODS") and bool(set(consent.diseases) & use.disease_lineage)


def _permission_reasons(use: IntendedUse, consent: ConsentConditions) -> list[str]:
    purpose = PURPOSE_LABELS.get(use.purpose)
    if purpose is None:
        return [f"Unknown research purpose {use.purpose!r}."]
    permission = consent.permission
    if permission in ("NRES", "GRU"):
        return []
    if permission == "HMB":
        if use.purpose in ("HMB", "DS", "METHODS"):
            return []
        return [f"The consent (HMB) admits only health/medical/biomedical research, not {purpose}."]
    if permission == "DS":
        disease = consent.disease_name or " or ".join(consent.diseases) or "a named disease"
        if use.purpose == "METHODS" and not _disease_matches(use, consent):
            return [
                f"The consent (DS) admits only research on {disease}; methods development not tied to it "
                "is not covered."
            ]
        if use.purpose not in ("DS", "METHODS"):
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
    if code == "NMDS" and _is_methods(use) and not _disease_matches(use, consent):
        return ["Methods development is prohibited outside the consented disease (NMDS)."], ""
    if code == "IRB":
        return _ethics_reasons(use, today), ""
    if code == "TS":
        return _time_limit_reasons(use, modifier, today), ""
    if code == "MOR":
        return _moratorium_findings(use, modifier, today)
    if code == "GS":
        return _geographic_findings(use, modifier)
    if code == "IS":
        return _institution_findings(use, modifier)
    if code in REVIEW_ONLY_MODIFIERS:
        detail = f": {modifier.value}" if modifier.value else ""
        return [], f"{REVIEW_NOTE_PREFIX} — {REVIEW_ONLY_MODIFIERS[code]} ({code}){detail}."
    if code == "RTN":
        return [], "Obligation (RTN): derived data must be returned to the resource."
    if code in ("NPOA", "PUB", "COL", "GSO", "NMDS", "CC"):
        return [], ""
    return [], f"{REVIEW_NOTE_PREFIX} — modifier {code} is not checked automatically."


def _moratorium_findings(use: IntendedUse, modifier: Modifier, today: datetime.date) -> tuple[list[str], str]:
    until = modifier.until
    if until is None or until <= today:
        return [], ""
    if use.publication_date is not None:
        if use.publication_date < until:
            return [
                f"The consent forbids publication before {until} (MOR); the planned publication date "
                f"{use.publication_date} is earlier."
            ], ""
        return [], ""
    return [], f"Publication moratorium (MOR): results may not be published before {until}."


def _geographic_findings(use: IntendedUse, modifier: Modifier) -> tuple[list[str], str]:
    allowed = [code.upper() for code in parameter_codes(modifier.value)]
    if not allowed:
        return [], f"{REVIEW_NOTE_PREFIX} — geographical restriction (GS) without a list of countries."
    if not use.countries:
        return [], (
            f"{REVIEW_NOTE_PREFIX} — geographical restriction (GS: {', '.join(allowed)}); "
            "where the data will be used is not stated."
        )
    outside = sorted(use.countries - set(allowed))
    if outside:
        return [
            f"The consent limits use to {', '.join(allowed)} (GS); the data would be used in {', '.join(outside)}."
        ], ""
    return [], ""


def _institution_findings(use: IntendedUse, modifier: Modifier) -> tuple[list[str], str]:
    allowed = parameter_codes(modifier.value)
    if not allowed:
        return [], f"{REVIEW_NOTE_PREFIX} — institution-specific restriction (IS) without a list of institutions."
    if not use.institution:
        return [], (
            f"{REVIEW_NOTE_PREFIX} — institution-specific restriction (IS: {', '.join(allowed)}); "
            "the requesting institution is not stated."
        )
    if use.institution not in allowed:
        name = use.institution_name or use.institution
        return [f"The consent limits use to the institutions {', '.join(allowed)} (IS); {name} is not one of them."], ""
    return [], ""


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
