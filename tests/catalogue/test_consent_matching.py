"""DUO matching: the rule table of catalogue.consent_matching, one parametrised case per rule (pure, no database).

The peers' test-case categories (DUOS consent-ontology, REMS) are in test_consent_matching_peers.py."""

from __future__ import annotations

import datetime

import pytest

from catalogue.consent_matching import ConsentConditions, IntendedUse, Modifier, match_consent, match_use

TODAY = datetime.date(2026, 6, 1)
# MONDO lineages (the term and its ancestors in catalogue/data/mondo_hematology.csv, abridged to what matters)
AML_ID, APL_ID, MM_ID, NHL_ID, DLBCL_ID = (
    "MONDO:0018874",
    "MONDO:0012883",
    "MONDO:0009693",
    "MONDO:0018908",
    "MONDO:0018905",
)
AML = frozenset({AML_ID})
APL = frozenset({APL_ID, AML_ID})  # APL is a subtype of AML
MM = frozenset({MM_ID})
DLBCL = frozenset({DLBCL_ID, NHL_ID})


def use(purpose: str = "HMB", **kwargs: object) -> IntendedUse:
    defaults: dict[str, object] = {
        "will_publish": True,
        "ethics_reference": "EC-1",
        "ethics_expiry": TODAY + datetime.timedelta(days=100),
        "end": TODAY + datetime.timedelta(days=90),
    }
    defaults.update(kwargs)
    return IntendedUse(purpose=purpose, **defaults)  # type: ignore[arg-type]


def consent(permission: str, *modifiers: Modifier, disease: str = "", name: str = "") -> ConsentConditions:
    return ConsentConditions(
        label="consent v1",
        permission=permission,
        diseases=(disease,) if disease else (),
        disease_name=name,
        modifiers=modifiers,
    )


DS_AML = consent("DS", disease=AML_ID, name="Acute myeloid leukaemia")
DS_NHL = consent("DS", disease=NHL_ID, name="Non-Hodgkin lymphoma")


@pytest.mark.parametrize(
    ("purpose", "lineage", "conditions", "compatible"),
    [
        # NRES and GRU admit every purpose
        ("DS", AML, consent("NRES"), True),
        ("GRU", frozenset(), consent("NRES"), True),
        ("POA", frozenset(), consent("NRES"), True),
        ("DS", AML, consent("GRU"), True),
        ("HMB", frozenset(), consent("GRU"), True),
        ("GRU", frozenset(), consent("GRU"), True),
        ("POA", frozenset(), consent("GRU"), True),
        # HMB admits HMB and disease research, not general (non-medical) or ancestry research
        ("HMB", frozenset(), consent("HMB"), True),
        ("DS", MM, consent("HMB"), True),
        ("GRU", frozenset(), consent("HMB"), False),
        ("POA", frozenset(), consent("HMB"), False),
        # DS-X admits research on X or its subtypes only
        ("DS", AML, DS_AML, True),
        ("DS", APL, DS_AML, True),
        ("DS", MM, DS_AML, False),
        ("DS", DLBCL, DS_NHL, True),
        ("HMB", frozenset(), DS_AML, False),
        ("GRU", frozenset(), DS_AML, False),
        ("POA", frozenset(), DS_AML, False),
        # POA admits ancestry research only
        ("POA", frozenset(), consent("POA"), True),
        ("HMB", frozenset(), consent("POA"), False),
        ("DS", AML, consent("POA"), False),
    ],
)
def test_permission_table(purpose: str, lineage: frozenset[str], conditions: ConsentConditions, compatible: bool):
    verdict = match_consent(use(purpose, disease_lineage=lineage, disease_name="Studied disease"), conditions, TODAY)
    assert verdict.compatible is compatible
    assert bool(verdict.reasons) is not compatible


def test_ds_mismatch_names_both_diseases():
    verdict = match_consent(use("DS", disease_lineage=MM, disease_name="Multiple myeloma"), DS_AML, TODAY)
    assert verdict.reasons == (
        "The consent (DS) admits only research on Acute myeloid leukaemia; "
        "research on Multiple myeloma is not covered.",
    )


def test_unknown_permission_is_refused():
    assert not match_consent(use(), consent("XYZ"), TODAY).compatible


@pytest.mark.parametrize(
    ("modifier", "use_kwargs", "compatible"),
    [
        ("NPOA", {"purpose": "POA"}, False),
        ("NPOA", {"purpose": "HMB"}, True),
        ("NCU", {"commercial": True}, False),
        ("NCU", {"for_profit": True}, True),
        ("NCU", {}, True),
        ("NPU", {"commercial": True}, False),
        ("NPU", {"for_profit": True}, False),
        ("NPU", {}, True),
        ("NPUNCU", {"commercial": True}, False),
        ("NPUNCU", {"for_profit": True}, False),
        ("NPUNCU", {}, True),
        ("PUB", {"will_publish": False}, False),
        ("PUB", {"will_publish": True}, True),
        ("COL", {"collaboration_with_holder": False}, False),
        ("COL", {"collaboration_with_holder": True}, True),
        ("GSO", {"genetic_studies": False}, False),
        ("GSO", {"genetic_studies": True}, True),
        ("NMDS", {"methods_development": True}, False),
        ("NMDS", {"methods_development": False}, True),
        ("IRB", {"ethics_reference": ""}, False),
        ("IRB", {"ethics_expiry": None}, False),
        ("IRB", {"ethics_expiry": TODAY}, True),  # the expiry date is the approval's last valid day
        ("IRB", {"ethics_expiry": TODAY - datetime.timedelta(days=1)}, False),
        ("IRB", {}, True),
        ("CC", {}, True),
    ],
)
def test_modifier_table(modifier: str, use_kwargs: dict[str, object], compatible: bool):
    kwargs = dict(use_kwargs)
    purpose = str(kwargs.pop("purpose", "HMB"))
    verdict = match_consent(use(purpose, **kwargs), consent("GRU", Modifier(modifier)), TODAY)
    assert verdict.compatible is compatible, verdict.reasons


def test_nmds_allows_methods_development_on_the_consented_disease():
    conditions = consent("DS", Modifier("NMDS"), disease=AML_ID, name="AML")
    assert match_consent(use("DS", disease_lineage=APL, methods_development=True), conditions, TODAY).compatible


def test_commercial_for_profit_under_npuncu_gives_both_reasons():
    verdict = match_consent(use(commercial=True, for_profit=True), consent("GRU", Modifier("NPUNCU")), TODAY)
    assert verdict.reasons == (
        "Commercial use is prohibited (NPUNCU).",
        "Use by for-profit organisations is prohibited (NPUNCU).",
    )


@pytest.mark.parametrize(
    ("until", "end", "compatible"),
    [
        (TODAY + datetime.timedelta(days=90), TODAY + datetime.timedelta(days=90), True),
        (TODAY + datetime.timedelta(days=90), TODAY + datetime.timedelta(days=30), True),
        (TODAY + datetime.timedelta(days=90), TODAY + datetime.timedelta(days=91), False),
        (TODAY + datetime.timedelta(days=90), None, False),
        (TODAY - datetime.timedelta(days=1), TODAY - datetime.timedelta(days=2), False),
        (None, None, True),
    ],
)
def test_time_limit_ts(until: datetime.date | None, end: datetime.date | None, compatible: bool):
    verdict = match_consent(use(end=end), consent("GRU", Modifier("TS", until=until)), TODAY)
    assert verdict.compatible is compatible, verdict.reasons


def test_time_limit_message():
    verdict = match_consent(
        use(end=datetime.date(2027, 1, 1)), consent("GRU", Modifier("TS", until=datetime.date(2026, 12, 31))), TODAY
    )
    assert verdict.reasons == ("The consent limits use until 2026-12-31 (TS); the requested end 2027-01-01 is later.",)


@pytest.mark.parametrize(
    ("until", "will_publish", "note"),
    [
        (
            datetime.date(2027, 1, 1),
            True,
            "Publication moratorium (MOR): results may not be published before 2027-01-01.",
        ),
        (
            datetime.date(2027, 1, 1),
            False,
            "Publication moratorium (MOR): results may not be published before 2027-01-01.",
        ),
        (TODAY, True, None),
        (None, True, None),
    ],
)
def test_moratorium_without_a_planned_publication_date_is_a_note(
    until: datetime.date | None, will_publish: bool, note: str | None
):
    verdict = match_consent(use(will_publish=will_publish), consent("GRU", Modifier("MOR", until=until)), TODAY)
    assert verdict.compatible
    assert verdict.notes == ((note,) if note else ())


@pytest.mark.parametrize("code", ["US", "PS", "RS"])
def test_restrictions_needing_committee_review_do_not_block(code: str):
    verdict = match_consent(use(), consent("HMB", Modifier(code, value="Europe only")), TODAY)
    assert verdict.compatible
    assert verdict.needs_review
    assert len(verdict.notes) == 1
    assert verdict.notes[0].startswith("Needs committee review — ")
    assert verdict.notes[0].endswith(f"({code}): Europe only.")


def test_rtn_and_unknown_modifiers_add_notes():
    verdict = match_consent(use(), consent("GRU", Modifier("RTN"), Modifier("ZZZ")), TODAY)
    assert verdict.compatible
    assert verdict.notes == (
        "Obligation (RTN): derived data must be returned to the resource.",
        "Needs committee review — modifier ZZZ is not checked automatically.",
    )


def test_every_active_consent_must_admit_the_use_strictest_wins():
    general = ConsentConditions(label="consent v1", permission="GRU")
    strict = ConsentConditions(label="consent v2", permission="DS", diseases=(AML_ID,), disease_name="AML")
    verdict = match_use(use("DS", disease_lineage=MM, disease_name="Multiple myeloma"), [general, strict], TODAY)
    assert not verdict.compatible
    assert verdict.reasons == (
        "consent v2: The consent (DS) admits only research on AML; research on Multiple myeloma is not covered.",
    )
    assert match_use(use("DS", disease_lineage=AML), [general, strict], TODAY).compatible


def test_no_active_consent_admits_nothing():
    verdict = match_use(use(), [], TODAY)
    assert verdict == verdict.__class__(False, ("The dataset has no active consent, so no use can be admitted.",))


def test_reasons_accumulate_across_modifiers():
    conditions = consent("HMB", Modifier("NCU"), Modifier("PUB"), Modifier("COL"))
    verdict = match_consent(use(commercial=True, will_publish=False), conditions, TODAY)
    assert len(verdict.reasons) == 3
