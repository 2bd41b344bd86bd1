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

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PURPOSES = ("DS", "HMB", "GRU", "POA", "METHODS")
PURPOSE_LABELS = {
    "DS": gettext_lazy("disease-specific research"),
    "HMB": gettext_lazy("health/medical/biomedical research"),
    "GRU": gettext_lazy("general research"),
    "POA": gettext_lazy("population origins or ancestry research"),
    "METHODS": gettext_lazy("methods development only"),
}
# Notes whose code begins so ask the committee to check what the matcher cannot; search shows such a use as "needs
# committee review" rather than "admitted" (catalogue.search.intended_use), and so does governance.
REVIEW_CODE_PREFIX = "review."
REVIEW_ONLY_MODIFIERS = {
    "US": gettext_lazy("user-specific restriction"),
    "PS": gettext_lazy("project-specific restriction"),
    "RS": gettext_lazy("research-specific restriction"),
}
#: DUOS's sensitive research attributes: code → how a note names it.
SENSITIVE_RESEARCH = {
    "controls": gettext_lazy("use of the data as controls"),
    "population": gettext_lazy("population origins, ancestry or structure"),
    "gender": gettext_lazy("gender-specific research"),
    "pediatric": gettext_lazy("pediatric research"),
    "vulnerable_populations": gettext_lazy("vulnerable populations"),
    "illegal_behavior": gettext_lazy("illegal behaviour"),
    "sexual_diseases": gettext_lazy("sexually transmitted diseases"),
    "psychological_traits": gettext_lazy("psychological traits"),
    "not_health": gettext_lazy("research not related to health"),
    "stigmatized_diseases": gettext_lazy("stigmatising diseases"),
    "other": gettext_lazy("another purpose described in free text"),
}


class Finding(str):
    """A reason or note: its text, worded in the language active when the use was matched, and ``code``, a machine
    code that is the same in every language (``permission.hmb_only``, ``modifier.commercial_use``,
    ``review.gs_countries_unstated`` …; the API shows it next to the text). Codes starting with
    :data:`REVIEW_CODE_PREFIX` ask for committee review.

    A ``str`` so that the verdict reads, joins and stores as text wherever it did before codes existed."""

    code: str

    def __new__(cls, code: str, text: str) -> Finding:
        finding = super().__new__(cls, text)
        finding.code = code
        return finding

    def __reduce__(self) -> tuple:
        return (Finding, (self.code, str(self)))


def finding_code(text: str) -> str:
    """The machine code of a reason or note (empty for text that did not come from the matcher)."""
    return getattr(text, "code", "")


def either_of(names: Sequence[str]) -> str:
    """Names joined as alternatives in the active language ("AML or multiple myeloma"), for consent diseases."""
    return _(" or ").join(names)


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
        return self.compatible and any(finding_code(note).startswith(REVIEW_CODE_PREFIX) for note in self.notes)


def parameter_codes(value: str) -> list[str]:
    """A modifier parameter's list (GS countries, IS institutions): comma- or space-separated, in order, unique."""
    return list(dict.fromkeys(part for part in re.split(r"[,;\s]+", value.strip()) if part))


def match_use(use: IntendedUse, consents: Sequence[ConsentConditions], today: datetime.date) -> Verdict:
    """Match ``use`` against every active consent of a dataset; every one must admit it."""
    if not consents:
        return Verdict(
            False, (Finding("no_active_consent", _("The dataset has no active consent, so no use can be admitted.")),)
        )
    reasons: list[str] = []
    notes: list[str] = []
    for consent in consents:
        verdict = match_consent(use, consent, today)
        named = len(consents) > 1
        reasons.extend(_of_consent(consent, reason) if named else reason for reason in verdict.reasons)
        notes.extend(
            _of_consent(consent, note) if named else note for note in verdict.notes if note not in _sensitive_notes(use)
        )
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


def _of_consent(consent: ConsentConditions, finding: Finding) -> Finding:
    """A finding of one of several consents, naming the consent ("consent v2.0: …")."""
    return Finding(finding.code, _("%(consent)s: %(finding)s") % {"consent": consent.label, "finding": finding})


def _sensitive_notes(use: IntendedUse) -> list[Finding]:
    return [
        Finding(
            "review.sensitive_research",
            _("Needs committee review — the research involves %(topic)s.")
            % {"topic": SENSITIVE_RESEARCH.get(code, code)},
        )
        for code in sorted(use.sensitive)
    ]


def _is_methods(use: IntendedUse) -> bool:
    return use.purpose == "METHODS" or use.methods_development


def _disease_matches(use: IntendedUse, consent: ConsentConditions) -> bool:
    """The use studies a disease at or below one of the consent's DS diseases."""
    return use.purpose in ("DS", "METHODS") and bool(set(consent.diseases) & use.disease_lineage)


def _permission_reasons(use: IntendedUse, consent: ConsentConditions) -> list[Finding]:
    purpose = PURPOSE_LABELS.get(use.purpose)
    if purpose is None:
        return [Finding("unknown_purpose", _("Unknown research purpose %(purpose)r.") % {"purpose": use.purpose})]
    permission = consent.permission
    if permission in ("NRES", "GRU"):
        return []
    if permission == "HMB":
        if use.purpose in ("HMB", "DS", "METHODS"):
            return []
        return [
            Finding(
                "permission.hmb_only",
                _("The consent (HMB) admits only health/medical/biomedical research, not %(purpose)s.")
                % {"purpose": purpose},
            )
        ]
    if permission == "DS":
        disease = consent.disease_name or either_of(consent.diseases) or _("a named disease")
        if use.purpose == "METHODS" and not _disease_matches(use, consent):
            return [
                Finding(
                    "permission.ds_methods_unrelated",
                    _(
                        "The consent (DS) admits only research on %(disease)s; methods development not tied to it "
                        "is not covered."
                    )
                    % {"disease": disease},
                )
            ]
        if use.purpose not in ("DS", "METHODS"):
            return [
                Finding(
                    "permission.ds_other_purpose",
                    _("The consent (DS) admits only research on %(disease)s, not %(purpose)s.")
                    % {"disease": disease, "purpose": purpose},
                )
            ]
        if not _disease_matches(use, consent):
            return [
                Finding(
                    "permission.ds_other_disease",
                    _("The consent (DS) admits only research on %(disease)s; research on %(studied)s is not covered.")
                    % {"disease": disease, "studied": use.disease_name},
                )
            ]
        return []
    if permission == "POA":
        if use.purpose == "POA":
            return []
        return [
            Finding(
                "permission.poa_only",
                _("The consent (POA) admits only population origins or ancestry research, not %(purpose)s.")
                % {"purpose": purpose},
            )
        ]
    return [
        Finding(
            "permission.unknown",
            _("Unknown data use permission %(permission)r: the use cannot be admitted.") % {"permission": permission},
        )
    ]


def _modifier_findings(
    use: IntendedUse, consent: ConsentConditions, modifier: Modifier, today: datetime.date
) -> tuple[list[Finding], Finding | None]:
    """Blocking reasons and an optional note for one modifier."""
    code = modifier.code
    if code == "NPOA" and use.purpose == "POA":
        return [Finding("modifier.npoa", _("Population origins or ancestry research is prohibited (NPOA)."))], None
    if code in ("NPU", "NCU", "NPUNCU"):
        reasons = []
        if use.commercial:
            reasons.append(
                Finding("modifier.commercial_use", _("Commercial use is prohibited (%(code)s).") % {"code": code})
            )
        if code != "NCU" and use.for_profit:
            reasons.append(
                Finding(
                    "modifier.for_profit_use",
                    _("Use by for-profit organisations is prohibited (%(code)s).") % {"code": code},
                )
            )
        return reasons, None
    if code == "PUB" and not use.will_publish:
        return [
            Finding(
                "modifier.pub",
                _("The consent requires the results to be published (PUB); the request does not commit to it."),
            )
        ], None
    if code == "COL" and not use.collaboration_with_holder:
        return [
            Finding(
                "modifier.col",
                _("The consent requires a collaboration with the data holder (COL); none is declared."),
            )
        ], None
    if code == "GSO" and not use.genetic_studies:
        return [
            Finding(
                "modifier.gso", _("The consent admits genetic studies only (GSO); the request is not a genetic study.")
            )
        ], None
    if code == "NMDS" and _is_methods(use) and not _disease_matches(use, consent):
        return [
            Finding("modifier.nmds", _("Methods development is prohibited outside the consented disease (NMDS)."))
        ], None
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
        params = {"restriction": REVIEW_ONLY_MODIFIERS[code], "code": code, "detail": modifier.value}
        if modifier.value:
            text = _("Needs committee review — %(restriction)s (%(code)s): %(detail)s.") % params
        else:
            text = _("Needs committee review — %(restriction)s (%(code)s).") % params
        return [], Finding("review.restriction", text)
    if code == "RTN":
        return [], Finding("obligation.rtn", _("Obligation (RTN): derived data must be returned to the resource."))
    if code in ("NPOA", "PUB", "COL", "GSO", "NMDS", "CC"):
        return [], None
    return [], Finding(
        "review.unknown_modifier",
        _("Needs committee review — modifier %(code)s is not checked automatically.") % {"code": code},
    )


def _moratorium_findings(
    use: IntendedUse, modifier: Modifier, today: datetime.date
) -> tuple[list[Finding], Finding | None]:
    until = modifier.until
    if until is None or until <= today:
        return [], None
    if use.publication_date is not None:
        if use.publication_date < until:
            return [
                Finding(
                    "modifier.mor_before_end",
                    _(
                        "The consent forbids publication before %(until)s (MOR); the planned publication date "
                        "%(planned)s is earlier."
                    )
                    % {"until": until, "planned": use.publication_date},
                )
            ], None
        return [], None
    return [], Finding(
        "obligation.mor",
        _("Publication moratorium (MOR): results may not be published before %(until)s.") % {"until": until},
    )


def _geographic_findings(use: IntendedUse, modifier: Modifier) -> tuple[list[Finding], Finding | None]:
    allowed = [code.upper() for code in parameter_codes(modifier.value)]
    if not allowed:
        return [], Finding(
            "review.gs_without_list",
            _("Needs committee review — geographical restriction (GS) without a list of countries."),
        )
    listed = ", ".join(allowed)
    if not use.countries:
        return [], Finding(
            "review.gs_countries_unstated",
            _(
                "Needs committee review — geographical restriction (GS: %(allowed)s); where the data will be used "
                "is not stated."
            )
            % {"allowed": listed},
        )
    outside = sorted(use.countries - set(allowed))
    if outside:
        return [
            Finding(
                "modifier.gs_outside",
                _("The consent limits use to %(allowed)s (GS); the data would be used in %(outside)s.")
                % {"allowed": listed, "outside": ", ".join(outside)},
            )
        ], None
    return [], None


def _institution_findings(use: IntendedUse, modifier: Modifier) -> tuple[list[Finding], Finding | None]:
    allowed = parameter_codes(modifier.value)
    if not allowed:
        return [], Finding(
            "review.is_without_list",
            _("Needs committee review — institution-specific restriction (IS) without a list of institutions."),
        )
    listed = ", ".join(allowed)
    if not use.institution:
        return [], Finding(
            "review.is_institution_unstated",
            _(
                "Needs committee review — institution-specific restriction (IS: %(allowed)s); the requesting "
                "institution is not stated."
            )
            % {"allowed": listed},
        )
    if use.institution not in allowed:
        name = use.institution_name or use.institution
        return [
            Finding(
                "modifier.is_outside",
                _("The consent limits use to the institutions %(allowed)s (IS); %(institution)s is not one of them.")
                % {"allowed": listed, "institution": name},
            )
        ], None
    return [], None


def _ethics_reasons(use: IntendedUse, today: datetime.date) -> list[Finding]:
    if not use.ethics_reference.strip():
        return [
            Finding(
                "modifier.irb_missing", _("The consent requires ethics approval (IRB); no ethics reference is given.")
            )
        ]
    if use.ethics_expiry is None:
        return [
            Finding(
                "modifier.irb_expiry_missing",
                _("The consent requires ethics approval (IRB); the approval's expiry date is missing."),
            )
        ]
    if use.ethics_expiry < today:  # the expiry date is the approval's last valid day (inclusive)
        return [
            Finding(
                "modifier.irb_expired",
                _("The consent requires ethics approval (IRB); the approval expired on %(day)s.")
                % {"day": use.ethics_expiry},
            )
        ]
    return []


def _time_limit_reasons(use: IntendedUse, modifier: Modifier, today: datetime.date) -> list[Finding]:
    if modifier.until is None:
        return []
    until = {"until": modifier.until}
    if modifier.until < today:
        return [Finding("modifier.ts_ended", _("The consent's time limit on use (TS) ended on %(until)s.") % until)]
    if use.end is None:
        return [
            Finding(
                "modifier.ts_no_end",
                _("The consent limits use until %(until)s (TS); the request has no end date.") % until,
            )
        ]
    if use.end > modifier.until:
        return [
            Finding(
                "modifier.ts_end_later",
                _("The consent limits use until %(until)s (TS); the requested end %(end)s is later.")
                % {**until, "end": use.end},
            )
        ]
    return []
