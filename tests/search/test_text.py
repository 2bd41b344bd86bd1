"""Text normalisation: the accent folding and tokenisation every backend relies on."""

from __future__ import annotations

import pytest

from catalogue.search.highlighting import highlight
from catalogue.search.query import parse_concept
from catalogue.search.text import fold, normalise, tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("München", "munchen"),
        ("MÜNCHEN", "munchen"),
        ("Straße", "strasse"),
        ("Ærøskøbing", "aeroskobing"),
        ("Łódź", "lodz"),
        ("Œdème", "oedeme"),
        ("Leucémie aiguë", "leucemie aigue"),
        ("Año", "ano"),
        ("ﬁbrosis", "fibrosis"),  # NFKD expands the ligature
    ],
)
def test_fold_removes_accents_and_case(text, expected):
    assert fold(text) == expected


def test_tokens_split_on_punctuation_and_underscores():
    assert tokens("FLT3-ITD HGNC:NPM1 npm1_status (ELN 2022)") == [
        "flt3",
        "itd",
        "hgnc",
        "npm1",
        "npm1",
        "status",
        "eln",
        "2022",
    ]


def test_normalise_joins_strings_and_lists():
    assert normalise("Café", ["Crème brûlée", None, ""], None) == "cafe creme brulee"


def test_highlight_marks_accented_words_and_escapes_html():
    assert highlight("<b>München</b> & Munich", ["munchen"]) == "&lt;b&gt;<mark>München</mark>&lt;/b&gt; &amp; Munich"


def test_highlight_without_a_match_is_empty():
    assert highlight("Myeloma", ["aml"]) == ""


def test_highlight_cuts_long_text_around_the_first_match():
    text = "word " * 200 + "Leucémie" + " tail" * 200
    marked = highlight(text, ["leucemie"], max_chars=100)
    assert "<mark>Leucémie</mark>" in marked
    assert marked.startswith("…") and marked.endswith("…")
    assert len(marked) < 140


def test_concepts_with_a_known_vocabulary_match_codes_others_match_words():
    assert parse_concept("HGNC:NPM1").concept_key == "hgnc npm1"
    assert parse_concept(" loinc:21907-1 ").concept_key == "loinc 21907 1"
    free = parse_concept("FLT3-ITD status")
    assert free.concept_key is None and free.tokens == ("flt3", "itd", "status") and free.exact == "flt3 itd status"
    assert parse_concept("Risk: ELN 2022").concept_key is None  # "Risk" is no vocabulary
