"""The application's text analysis: notation, spelling, stemming, stop words, thesaurus and query clauses."""

from __future__ import annotations

import pytest

from catalogue.search.analysis import LANGUAGES, analyse, exact_form, stem, stopwords, word_forms
from catalogue.search.analysis.notation import rewrite_notation
from catalogue.search.analysis.spelling import american
from catalogue.search.query import analyse_query, required_matches
from catalogue.search.thesaurus import Thesaurus, read_rows, thesaurus


@pytest.mark.parametrize(
    ("forms", "token"),
    [
        (["t(9;22)", "t9;22", "t(9;22)(q34;q11)", "t(9;22)(q34.1;q11.2)", "T(9;22)"], "t9x22"),
        (["inv(16)", "inv16", "inv(16)(p13q22)", "inv(16)(p13.1q22.1)"], "inv16"),
        (["del(7q)", "del(7)(q22)", "del 7q", "7q-", "7q deletion", "deletion of 7q", "Deletion 7q"], "del7q"),
        (["del(17p)", "17p deletion", "délétion 17p"], "del17p"),
        (["+1q", "1q21+", "gain 1q", "1q gain", "amp(1q)", "1q21 amplification"], "gain1q"),
        (["+8", "trisomy 8", "Trisomie 8", "trisomia 8"], "tri8"),
        (["-7", "\u22127", "monosomy 7", "Monosomie 7", "monosomia 7"], "mono7"),
        (["10*9/L", "x10^9/L", "\u00d710^9/l", "10⁹/L", "10^9/L", "G/L", "10^3/µL", "/nL"], "u10e9perl"),
        (["10*12/L", "x10^12/L", "T/L"], "u10e12perl"),
        (["g/dL", "g/dl"], "ugperdl"),
        (["g/L"], "ugperl"),
    ],
)
def test_notation_forms_share_one_canonical_token(forms, token):
    for form in forms:
        assert rewrite_notation(form).split() == [token], form


def test_notation_leaves_ranges_years_and_ordinary_text_alone():
    for text in ("age 18-65", "2015-2020", "ELN 2022", "FLT3-ITD", "stage 3", "x-ray"):
        assert rewrite_notation(text) == text


def test_combined_karyotype_notation_keeps_each_part():
    assert analyse("-7/del(7q)").split() == ["mono7", "del7q"]
    assert analyse("46,XY,t(9;22)(q34;q11)").split()[-1] == "t9x22"


def test_gene_fusion_spellings_analyse_alike():
    assert analyse("BCR::ABL1") == analyse("BCR-ABL1") == analyse("BCR/ABL1") == "bcr abl1"


@pytest.mark.parametrize(
    ("british", "american_form"),
    [
        ("leukaemia", "leukemia"),
        ("leukaemic", "leukemic"),
        ("haemoglobin", "hemoglobin"),
        ("haematology", "hematology"),
        ("anaemia", "anemia"),
        ("polycythaemia", "polycythemia"),
        ("tumour", "tumor"),
        ("tumours", "tumors"),
        ("oesophagus", "esophagus"),
        ("oedema", "edema"),
        ("paediatric", "pediatric"),
        ("diarrhoea", "diarrhea"),
        ("randomised", "randomized"),
        ("centre", "center"),
        ("litre", "liter"),
    ],
)
def test_british_spellings_become_american(british, american_form):
    assert american(british) == american_form
    assert american(american_form) == american_form


@pytest.mark.parametrize("word", ["four", "hour", "your", "wise", "exercise", "disease", "remission", "there"])
def test_words_that_only_look_british_are_left_alone(word):
    assert american(word) == word


def test_stemming_per_language():
    assert stem("patients") == stem("patient") == "patient"
    assert stem("leukemias") == stem("leukemia")
    assert stem("patienten", "de") == stem("patient", "de")
    assert stem("mutations", "fr") == stem("mutation", "fr")
    assert stem("trapianti", "it") == stem("trapianto", "it")
    assert stem("trasplantes", "es") == stem("trasplante", "es")
    assert stem("behandelingen", "nl") == stem("behandeling", "nl")
    assert stem("npm1") == "npm1" and stem("t9x22") == "t9x22"  # codes and notation are never stemmed


def test_every_language_has_a_stemmer_and_a_stop_word_list():
    assert set(LANGUAGES) >= {"en", "de", "fr", "it", "es", "nl", "pt", "sv", "da", "fi"}
    for language in LANGUAGES:
        assert stem("test", language)
        assert len(stopwords(language)) >= 20, language
    assert {"with", "the", "of"} <= stopwords("en")
    assert {"mit", "der", "bei"} <= stopwords("de")
    assert {"de", "la", "avec"} <= stopwords("fr")


def test_analysis_folds_spells_and_stems_and_exact_form_does_not_stem():
    assert analyse("Haemoglobin levels at diagnosis") == "hemoglobin level at diagnosi"
    assert exact_form("Haemoglobin levels") == "hemoglobin levels"
    assert analyse("Leukämie-Patienten", language="de") == "leukami patient"
    assert {"leukemia", "leukaemias"} & word_forms("Leukaemias")


def test_the_thesaurus_file_is_well_formed():
    rows = read_rows()
    assert len({concept for concept, _, _ in rows}) >= 100
    languages = {language for _, language, _ in rows}
    assert {"en", "de", "fr", "it", "es", "nl", "*", "code"} <= languages
    Thesaurus(rows)  # every language code is known
    with pytest.raises(ValueError, match="unknown language 'xx'"):
        Thesaurus([("c", "xx", "word")])


def test_thesaurus_lookup_by_surface_or_stem_and_capitals_rule():
    vocabulary = thesaurus()
    lookup = vocabulary.lookup
    assert [c.id for c in lookup(("leukemias",), languages=("en",), capitals=frozenset())] == ["leukemia"]
    assert [c.id for c in lookup(("leukamie",), languages=("de",), capitals=frozenset())] == ["leukemia"]
    assert lookup(("all",), languages=tuple(LANGUAGES), capitals=frozenset()) == []
    assert [c.id for c in lookup(("all",), languages=("en",), capitals=frozenset({"all"}))] == ["all"]


def test_minimum_should_match_is_all_up_to_two_then_half():
    assert [required_matches(n) for n in range(1, 9)] == [1, 2, 2, 2, 3, 3, 4, 4]


def test_query_clauses_stop_words_phrase_and_expansion():
    query = analyse_query("haemoglobin with the diagnosis")
    assert [clause.text for clause in query.required] == ["hemoglobin", "diagnosis"]
    assert [clause.text for clause in query.optional] == ["with", "the"]
    assert query.minimum_should_match == 2
    assert query.phrase == ("hemoglobin", "with", "the", "diagnosi")
    assert query.exact == "hemoglobin with the diagnosis"
    # Both are thesaurus concepts: their synonyms and translations join the clauses.
    assert {"Hämoglobin", "Hb", "diagnóstico"} <= set(query.expanded_terms)


def test_a_thesaurus_phrase_is_one_clause_with_its_synonyms_and_codes():
    query = analyse_query("acute myeloid leukaemia")
    [clause] = query.clauses
    assert clause.text == "acute myeloid leukemia"
    keys = {alternative.concept_key for alternative in clause.alternatives if alternative.concept_key}
    assert keys == {"icd10 c92 0"}
    assert ("aml",) in {alternative.terms for alternative in clause.alternatives}
    assert "AML" in query.expanded_terms


def test_a_language_narrows_the_stemmers_and_is_validated():
    assert analyse_query("mutations", "fr").languages == ("fr", "en")
    assert analyse_query("mutations").languages == tuple(LANGUAGES)
    with pytest.raises(ValueError, match="Unsupported search language 'xx'"):
        analyse_query("mutations", "xx")


def test_a_query_of_stop_words_only_requires_them():
    query = analyse_query("the with")
    assert [clause.text for clause in query.required] == ["the", "with"]


def test_fuzzy_matching_only_for_words_of_five_letters_or_more():
    fuzzy = {clause.text: clause.fuzzy for clause in analyse_query("transfusions dose npm1").clauses}
    assert fuzzy == {"transfusions": "transfus", "dose": None, "npm1": None}
    # A word the thesaurus expands matches through its synonyms instead.
    assert analyse_query("haemoglobin").clauses[0].fuzzy is None


def test_words_about_the_catalogue_itself_are_optional_in_every_language():
    query = analyse_query("which AML cohorts have NPM1 data")
    assert [clause.text for clause in query.required] == ["aml", "npm1"]
    assert {"cohorts", "data"} <= {clause.text for clause in query.optional}
    assert [clause.text for clause in analyse_query("AML-Register mit Daten", "de").required] == ["aml"]
