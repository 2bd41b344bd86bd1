"""The matcher's reasons and notes read in the language active when the use is matched (the reader's: pages and
API answers match per request), and each carries a machine code that is the same in every language; committee
review is decided by the code, so a German reader gets the same verdict as an English one."""

from __future__ import annotations

import datetime

from django.utils import translation

from catalogue.consent_matching import (
    ConsentConditions,
    IntendedUse,
    Modifier,
    Verdict,
    finding_code,
    match_use,
)

TODAY = datetime.date(2026, 6, 1)
AML = "MONDO:0018874"


def matched(language: str, use: IntendedUse, *consents: ConsentConditions) -> Verdict:
    with translation.override(language):
        return match_use(use, consents, TODAY)


def test_a_blocking_reason_in_english_and_german_has_one_code() -> None:
    use = IntendedUse(purpose="HMB", commercial=True, will_publish=True)
    consent = ConsentConditions(label="consent v1", permission="HMB", modifiers=(Modifier("NCU"),))
    english, german = matched("en", use, consent), matched("de", use, consent)
    assert english.reasons == ("Commercial use is prohibited (NCU).",)
    assert german.reasons == ("Kommerzielle Nutzung ist untersagt (NCU).",)
    assert [finding_code(r) for r in english.reasons] == [finding_code(r) for r in german.reasons]
    assert finding_code(german.reasons[0]) == "modifier.commercial_use"


def test_disease_names_and_purposes_are_worded_in_the_readers_language() -> None:
    use = IntendedUse(purpose="GRU")
    consent = ConsentConditions(
        label="consent v1", permission="DS", diseases=(AML,), disease_name="akute myeloische Leukämie"
    )
    (reason,) = matched("de", use, consent).reasons
    assert (
        reason
        == "Die Einwilligung (DS) erlaubt nur Forschung zu akute myeloische Leukämie, nicht allgemeine Forschung."
    )
    assert finding_code(reason) == "permission.ds_other_purpose"


def test_needs_review_is_decided_by_the_code_whatever_the_language() -> None:
    use = IntendedUse(purpose="HMB")
    consent = ConsentConditions(label="consent v1", permission="HMB", modifiers=(Modifier("GS", value="ES, PT"),))
    for language in ("en", "de", "fr", "it", "es"):
        verdict = matched(language, use, consent)
        assert verdict.compatible and verdict.needs_review, language
        assert finding_code(verdict.notes[0]) == "review.gs_countries_unstated"
    assert matched("fr", use, consent).notes == (
        "Examen du comité nécessaire — restriction géographique (GS : ES, PT) ; le lieu d’utilisation des données "  # noqa: RUF001 — French apostrophe
        "n’est pas indiqué.",  # noqa: RUF001 — French apostrophe
    )


def test_several_consents_name_the_consent_in_each_language_and_keep_the_code() -> None:
    use = IntendedUse(purpose="HMB", will_publish=False)
    first = ConsentConditions(label="Einwilligung v1", permission="HMB", modifiers=(Modifier("PUB"),))
    second = ConsentConditions(label="Einwilligung v2", permission="HMB")
    (reason,) = matched("de", use, first, second).reasons
    assert reason == (
        "Einwilligung v1: Die Einwilligung verlangt die Veröffentlichung der Ergebnisse (PUB); der Antrag "
        "verpflichtet sich nicht dazu."
    )
    assert finding_code(reason) == "modifier.pub"


def test_no_active_consent_in_german() -> None:
    verdict = matched("de", IntendedUse(purpose="HMB"))
    assert verdict.reasons == (
        "Der Datensatz hat keine gültige Einwilligung, daher kann keine Nutzung erlaubt werden.",
    )
    assert finding_code(verdict.reasons[0]) == "no_active_consent"
