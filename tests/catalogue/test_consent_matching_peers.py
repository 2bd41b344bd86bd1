"""The peers' DUO test-case categories, one case each, written for HARMONY (pure, no database).

Sources, read for their categories and expectations (the cases below are ours, on hematology diseases):

* DUOS — DataBiosphere/consent-ontology ``DataUseMatcherV3Test`` / ``DataUseMatcherV4Test`` (disease, HMB, POA,
  methods, commercial, NPU, abstain-to-manual-review cases) and ``docs/Algorithms.md`` (control sets, NMDS,
  pediatric and gender restrictions);
* REMS — CSCfi/rems ``rems.ext.duo/check-duo-code`` tests (MONDO ancestry with several codes, MOR dates,
  free-text restrictions needing manual validation) and its restriction types (location, institute, users,
  project, topic, collaboration, months).

Each case states the peer's expectation and ours; where they differ the case names the row of the departures
table in catalogue.consent_matching's docstring. ``review`` means admitted as far as the matcher can tell, with
a "needs committee review" note (DUOS "abstain", REMS "needs manual validation").
"""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from catalogue import consent_matching
from catalogue.consent_matching import ConsentConditions, IntendedUse, Modifier, match_use

TODAY = datetime.date(2026, 6, 1)

# MONDO ids (catalogue/data/mondo_hematology.csv) and lineages as the subset gives them
HEME_CANCER = "MONDO:0044881"
LEUKEMIA = "MONDO:0005059"
AML = "MONDO:0018874"
APL = "MONDO:0012883"
MM = "MONDO:0009693"
LYMPHOMA = "MONDO:0005062"
NHL = "MONDO:0018908"
DLBCL = "MONDO:0018905"
CANCER = "MONDO:0004992"
ROOTS = {CANCER, "MONDO:0045024", "MONDO:0005570", "MONDO:0000001"}
LINEAGE = {
    AML: frozenset({AML, LEUKEMIA, HEME_CANCER, *ROOTS}),
    APL: frozenset({APL, AML, LEUKEMIA, HEME_CANCER, *ROOTS}),
    MM: frozenset({MM, HEME_CANCER, *ROOTS}),
    DLBCL: frozenset({DLBCL, NHL, LYMPHOMA, HEME_CANCER, *ROOTS}),
    HEME_CANCER: frozenset({HEME_CANCER, *ROOTS}),
}


def use(purpose: str = "HMB", disease: str = "", **kwargs: object) -> IntendedUse:
    return IntendedUse(
        purpose=purpose,
        disease_lineage=LINEAGE.get(disease, frozenset()),
        disease_name=disease,
        **kwargs,  # type: ignore[arg-type]
    )


def consent(permission: str, *modifiers: Modifier, diseases: tuple[str, ...] = ()) -> ConsentConditions:
    return ConsentConditions(label="consent v1", permission=permission, diseases=diseases, modifiers=modifiers)


@dataclasses.dataclass(frozen=True)
class Case:
    category: str
    source: str
    use: IntendedUse
    consent: ConsentConditions
    peer: str  # what the peer expects: admit, deny or review
    ours: str  # what this matcher answers
    departure: str = ""  # the row of the docstring's departures table, when ours differs

    def __str__(self) -> str:
        return self.category


MOR = datetime.date(2027, 2, 8)
CASES = [
    # --- DUOS consent-ontology DataUseMatcherV3/V4 -------------------------------------------------------
    Case("disease: subtype of the consent's disease", "DUOS testDiseaseMatching_positive",
         use("DS", APL), consent("DS", diseases=(AML,)), "admit", "admit"),
    Case("disease: ancestor of the consent's disease", "DUOS testDiseaseMatching_negative",
         use("DS", HEME_CANCER), consent("DS", diseases=(AML,)), "deny", "deny"),
    Case("HMB purpose, GRU dataset", "DUOS testHMB_positive_case_1",
         use("HMB"), consent("GRU"), "admit", "admit"),
    Case("HMB purpose, HMB dataset", "DUOS testHMB_positive_case_2",
         use("HMB"), consent("HMB"), "admit", "admit"),
    Case("GRU purpose, HMB dataset", "DUOS testHMB_negative_case_1",
         use("GRU"), consent("HMB"), "deny", "deny"),
    Case("HMB purpose, DS dataset", "DUOS testHMB_negative_case_2",
         use("HMB"), consent("DS", diseases=(CANCER,)), "deny", "deny"),
    Case("HMB purpose, POA dataset", "DUOS testHMB_negative_case_3",
         use("HMB"), consent("POA"), "deny", "deny"),
    Case("POA purpose, GRU dataset", "DUOS testPOA_positive_case_1",
         use("POA"), consent("GRU"), "admit", "admit"),
    Case("POA purpose, POA dataset", "DUOS testPOA_positive_case_2",
         use("POA"), consent("POA"), "admit", "admit"),
    Case("POA purpose, HMB dataset", "DUOS testPOA_negative_case_1",
         use("POA"), consent("HMB"), "deny", "deny"),
    Case("POA purpose, DS dataset", "DUOS testPOA_negative_case_2",
         use("POA"), consent("DS", diseases=(AML,)), "deny", "deny"),
    Case("methods purpose, GRU dataset", "DUOS testMDS_positive_case_1",
         use("METHODS"), consent("GRU"), "admit", "admit"),
    Case("methods purpose, POA dataset", "DUOS testMDS_positive_case_2",
         use("METHODS"), consent("POA"), "admit", "deny", "METHODS on POA"),
    Case("methods purpose, DS dataset, no disease", "DUOS testMDS_positive_case_3",
         use("METHODS"), consent("DS", diseases=(AML,)), "admit", "deny", "METHODS on DS, no disease match"),
    Case("methods purpose, DS dataset, the consented disease", "DUOS testMDS_positive_case_3 (disease given)",
         use("METHODS", APL), consent("DS", diseases=(AML,)), "admit", "admit"),
    Case("methods purpose, HMB dataset", "DUOS testMDS_positive_case_4",
         use("METHODS"), consent("HMB"), "admit", "admit"),
    Case("commercial purpose, dataset allows commercial use", "DUOS testCommercial_positive_case_1",
         use("HMB", commercial=True), consent("HMB"), "admit", "admit"),
    Case("commercial purpose, GRU dataset", "DUOS testCommercial_positive_case_2",
         use("HMB", commercial=True), consent("GRU"), "admit", "admit"),
    Case("commercial purpose, not-for-profit dataset", "DUOS testCommercial_negative_case_1",
         use("HMB", commercial=True), consent("GRU", Modifier("NPU")), "deny", "deny"),
    Case("commercial purpose, non-commercial dataset", "DUOS testCommercial_negative_case_2",
         use("HMB", commercial=True), consent("GRU", Modifier("NCU")), "deny", "deny"),
    Case("not-for-profit purpose, commercial dataset", "DUOS testCommercial_abstain_case_1",
         use("HMB"), consent("GRU"), "review", "admit", "commercial-allowed consent"),
    Case("NPU dataset, not-for-profit requester", "DUOS testNPU_positive_case_1",
         use("HMB"), consent("HMB", Modifier("NPU")), "admit", "admit"),
    Case("no NPU on the dataset, for-profit requester", "DUOS testNPU_positive_case_3",
         use("HMB", for_profit=True), consent("HMB"), "admit", "admit"),
    Case("NPU dataset, for-profit requester", "DUOS testNPU_negative_case_1",
         use("HMB", for_profit=True), consent("HMB", Modifier("NPU")), "deny", "deny"),
    Case("purpose declares a collaboration", "DUOS testAbstainDecision_COL",
         use("HMB", collaboration_with_holder=True), consent("HMB"), "review", "admit",
         "COL / IRB on the purpose side"),
    Case("purpose declares ethics approval", "DUOS testAbstainDecision_ethicsApprovalRequired",
         use("HMB", ethics_reference="EC-2026-1", ethics_expiry=datetime.date(2027, 1, 1)), consent("HMB"),
         "review", "admit", "COL / IRB on the purpose side"),
    Case("another purpose in free text", "DUOS testAbstainDecision_Other / SecondaryOther",
         use("HMB", sensitive=frozenset({"other"})), consent("HMB"), "review", "review"),
    *(
        Case(f"sensitive research: {code}", f"DUOS testAbstainDecision_{name}",
             use("HMB", sensitive=frozenset({code})), consent("HMB"), "review", "review")
        for code, name in [
            ("controls", "controls"),
            ("population", "population"),
            ("gender", "gender"),
            ("pediatric", "pediatric"),
            ("vulnerable_populations", "vulnerablePopulations"),
            ("illegal_behavior", "illegalBehavior"),
            ("sexual_diseases", "sexualDiseases"),
            ("psychological_traits", "psychologicalTraits"),
            ("not_health", "notHealth"),
            ("stigmatized_diseases", "stigmatizedDiseases"),
        ]
    ),
    # --- DUOS docs/Algorithms.md (version 2) ---------------------------------------------------------------
    Case("methods on an NMDS dataset, the consented disease", "DUOS Algorithms: NMDS true and DS-X match",
         use("METHODS", AML), consent("DS", Modifier("NMDS"), diseases=(AML,)), "admit", "admit"),
    Case("methods on an NMDS dataset, another disease", "DUOS Algorithms: NMDS true, no DS-X match",
         use("METHODS", MM), consent("DS", Modifier("NMDS"), diseases=(AML,)), "deny", "deny"),
    Case("methods within HMB research, NMDS dataset", "DUOS Algorithms: methods development, NMDS",
         use("HMB", methods_development=True), consent("HMB", Modifier("NMDS")), "deny", "deny"),
    Case("control set", "DUOS Algorithms: Control Set",
         use("DS", AML, sensitive=frozenset({"controls"})), consent("HMB"), "admit", "review",
         "controls, pediatric, gender"),
    Case("pediatric research on a pediatric-only dataset", "DUOS Algorithms: RS-PD",
         use("HMB", sensitive=frozenset({"pediatric"})), consent("HMB", Modifier("RS", value="pediatric")),
         "admit", "review", "controls, pediatric, gender"),
    Case("gender-focused research on a gender-restricted dataset", "DUOS Algorithms: RS-G",
         use("HMB", sensitive=frozenset({"gender"})), consent("HMB", Modifier("RS", value="female only")),
         "admit", "review", "controls, pediatric, gender"),
    # --- REMS check-duo-code --------------------------------------------------------------------------------
    Case("a modifier without parameters, met", "REMS same code compatible",
         use("HMB", will_publish=True), consent("HMB", Modifier("PUB")), "admit", "admit"),
    Case("project-specific restriction (free text)", "REMS free text needs manual validation",
         use("HMB"), consent("HMB", Modifier("PS", value="CSC/REMS")), "review", "review"),
    Case("DS consent without a disease", "REMS DS must define at least one MONDO code",
         use("DS", AML), consent("DS"), "deny", "deny"),
    Case("DS consent on a more specific disease", "REMS uveal melanoma requires a more specific code",
         use("DS", AML), consent("DS", diseases=(APL,)), "deny", "deny"),
    Case("DS consent with several diseases, one studied", "REMS several MONDO codes, one provided",
         use("DS", MM), consent("DS", diseases=(AML, MM)), "admit", "admit"),
    Case("DS consent on an ancestor", "REMS ancestor code compatible",
         use("DS", AML), consent("DS", diseases=(HEME_CANCER,)), "admit", "admit"),
    Case("DS consent with several diseases, one an ancestor", "REMS several codes, one ancestor",
         use("DS", DLBCL), consent("DS", diseases=(HEME_CANCER, APL)), "admit", "admit"),
    Case("MOR: planned publication before the date", "REMS provided date before required date",
         use("HMB", publication_date=MOR - datetime.timedelta(days=1)), consent("HMB", Modifier("MOR", until=MOR)),
         "deny", "deny"),
    Case("MOR: planned publication on the date", "REMS provided date equal",
         use("HMB", publication_date=MOR), consent("HMB", Modifier("MOR", until=MOR)), "admit", "admit"),
    Case("MOR: planned publication after the date", "REMS provided date later",
         use("HMB", publication_date=MOR + datetime.timedelta(days=365)),
         consent("HMB", Modifier("MOR", until=MOR)), "admit", "admit"),
    Case("MOR: no planned publication date", "REMS nil date not compatible",
         use("HMB"), consent("HMB", Modifier("MOR", until=MOR)), "deny", "admit",
         "MOR, no planned date"),
    Case("GS: used inside the listed countries", "REMS location restriction",
         use("HMB", countries=frozenset({"DE", "AT"})), consent("HMB", Modifier("GS", value="DE, AT, CH")),
         "review", "admit", "GS / IS, use states them"),
    Case("GS: used outside the listed countries", "REMS location restriction",
         use("HMB", countries=frozenset({"DE", "US"})), consent("HMB", Modifier("GS", value="DE, AT, CH")),
         "review", "deny", "GS / IS, use states them"),
    Case("GS: countries of use not stated", "REMS location restriction",
         use("HMB"), consent("HMB", Modifier("GS", value="DE, AT, CH")), "review", "review"),
    Case("IS: a listed institution", "REMS institute restriction",
         use("HMB", institution="ukhd"), consent("HMB", Modifier("IS", value="ukhd, husal")),
         "review", "admit", "GS / IS, use states them"),
    Case("IS: another institution", "REMS institute restriction",
         use("HMB", institution="novartis", institution_name="Novartis Pharma AG"),
         consent("HMB", Modifier("IS", value="ukhd, husal")), "review", "deny",
         "GS / IS, use states them"),
    Case("US: approved users", "REMS users restriction",
         use("HMB"), consent("HMB", Modifier("US", value="the AML working group")), "review", "review"),
    Case("RS: research topic", "REMS topic restriction",
         use("HMB"), consent("HMB", Modifier("RS", value="treatment toxicity")), "review", "review"),
    Case("COL: collaboration required, declared", "REMS collaboration restriction",
         use("HMB", collaboration_with_holder=True), consent("HMB", Modifier("COL")), "admit", "admit"),
    Case("COL: collaboration required, not declared", "REMS collaboration restriction",
         use("HMB"), consent("HMB", Modifier("COL")), "deny", "deny"),
    Case("TS: time limit (REMS months, here an end date)", "REMS months restriction",
         use("HMB", end=datetime.date(2027, 6, 1)), consent("HMB", Modifier("TS", until=datetime.date(2027, 12, 1))),
         "admit", "admit"),
]  # fmt: skip


def answer(case: Case) -> str:
    verdict = match_use(case.use, [case.consent], TODAY)
    if not verdict.compatible:
        return "deny"
    return "review" if verdict.needs_review else "admit"


@pytest.mark.parametrize("case", CASES, ids=str)
def test_peer_case(case: Case):
    assert answer(case) == case.ours
    # A difference from the peer is deliberate only if it is documented in the matcher's departures table.
    assert (case.ours != case.peer) == bool(case.departure)


def departure_rows() -> list[str]:
    """The keys (first column, one line each) of the departures table in the matcher's docstring."""
    doc = consent_matching.__doc__ or ""
    table = doc.split("deliberately departs", 1)[1]
    lines = table.splitlines()
    borders = [index for index, line in enumerate(lines) if line.startswith("====")]
    width = len(lines[borders[0]].split(" ")[0])
    return [line[:width].strip() for line in lines[borders[1] + 1 : borders[2]] if line[:1].strip()]


@pytest.mark.parametrize("case", [case for case in CASES if case.departure], ids=str)
def test_every_departure_is_in_the_docstring_table(case: Case):
    assert case.departure in departure_rows()


def test_review_notes_name_the_sensitive_research():
    verdict = match_use(use("HMB", sensitive=frozenset({"pediatric", "controls"})), [consent("HMB")], TODAY)
    assert verdict.compatible
    assert verdict.notes == (
        "Needs committee review — the research involves use of the data as controls.",
        "Needs committee review — the research involves pediatric research.",
    )


def test_sensitive_notes_appear_once_for_several_consents():
    verdict = match_use(
        use("HMB", sensitive=frozenset({"gender"})),
        [consent("HMB"), dataclasses.replace(consent("GRU"), label="consent v2")],
        TODAY,
    )
    assert verdict.notes == ("Needs committee review — the research involves gender-specific research.",)


def test_moratorium_and_geography_reasons_are_worded_for_people():
    verdict = match_use(
        use("HMB", publication_date=datetime.date(2027, 1, 1), countries=frozenset({"US"})),
        [consent("HMB", Modifier("MOR", until=MOR), Modifier("GS", value="DE, AT"))],
        TODAY,
    )
    assert verdict.reasons == (
        "The consent forbids publication before 2027-02-08 (MOR); the planned publication date 2027-01-01 is earlier.",
        "The consent limits use to DE, AT (GS); the data would be used in US.",
    )


def test_institution_reason_names_the_requesting_institution():
    verdict = match_use(
        use("HMB", institution="novartis", institution_name="Novartis Pharma AG"),
        [consent("HMB", Modifier("IS", value="ukhd"))],
        TODAY,
    )
    assert verdict.reasons == (
        "The consent limits use to the institutions ukhd (IS); Novartis Pharma AG is not one of them.",
    )
