"""The hematology thesaurus (``data/thesaurus.csv``): synonyms, abbreviations and translations grouped by concept.

A query's words are looked up here (longest span first: "acute myeloid leukaemia" before
"leukaemia"); a match expands the span to every term of its concept in every language, plus
the mapped codes ("LOINC:718-7"), so "Hb" finds "Haemoglobin", "Leukämie" finds "leukemia" and
"OS" finds "overall survival". Terms are keyed by their analysed words (folded, American
spelling; and stemmed in the term's language), so "leukaemias" finds the "leukemia" entry.

An abbreviation that is also a common word in one of the search languages ("ALL", "OS", "ET")
only expands when typed in capitals: "all patients" is not a question about acute
lymphoblastic leukaemia.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from catalogue.search.analysis import DEFAULT_LANGUAGE, LANGUAGES, analysed_words, is_stopword, stem, surface_words

THESAURUS_PATH = Path(__file__).resolve().parent / "data" / "thesaurus.csv"
ANY_LANGUAGE = "*"
CODE = "code"
MAX_SPAN_WORDS = 8


@dataclass(frozen=True)
class Term:
    text: str
    language: str  # an ISO 639-1 code, "*" (abbreviations, symbols) or "code" (VOCABULARY:CODE)

    @property
    def index_language(self) -> str:
        """The language the term's words are stemmed in (abbreviations as English, the default)."""
        return self.language if self.language in LANGUAGES else DEFAULT_LANGUAGE


@dataclass(frozen=True)
class ThesaurusConcept:
    id: str
    terms: tuple[Term, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(term.text for term in self.terms if term.language == CODE)

    @property
    def words(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if term.language != CODE)


@dataclass(frozen=True)
class _Entry:
    concept: str
    capitals_only: bool  # the folded abbreviation is also a stop word: expand only when typed in capitals


class Thesaurus:
    """Concepts and the lookup table of their terms' analysed forms."""

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        terms: dict[str, list[Term]] = {}
        for concept, language, text in rows:
            if language not in LANGUAGES and language not in (ANY_LANGUAGE, CODE):
                raise ValueError(f"Thesaurus term {text!r}: unknown language {language!r}.")
            terms.setdefault(concept, []).append(Term(text=text, language=language))
        self.concepts = {concept: ThesaurusConcept(concept, tuple(found)) for concept, found in terms.items()}
        self._keys: dict[tuple[str, ...], list[_Entry]] = {}
        for concept in self.concepts.values():
            for term in concept.words:
                words = tuple(surface_words(term.text))
                if not words:
                    continue
                capitals_only = len(words) == 1 and term.text.isupper() and is_stopword(words[0], tuple(LANGUAGES))
                entry = _Entry(concept.id, capitals_only)
                stemmed = tuple(stem(word, term.index_language) for word in words)
                for key in dict.fromkeys((words, stemmed)):
                    bucket = self._keys.setdefault(key, [])
                    if entry not in bucket:
                        bucket.append(entry)

    def lookup(
        self, words: tuple[str, ...], *, languages: tuple[str, ...], capitals: frozenset[str]
    ) -> list[ThesaurusConcept]:
        """The concepts one of whose terms is exactly ``words`` (surface words, or their stems in ``languages``)."""
        keys = [words, *(tuple(stem(word, language) for word in words) for language in languages)]
        found: dict[str, None] = {}
        for key in keys:
            for entry in self._keys.get(key, ()):
                if entry.capitals_only and not (len(words) == 1 and words[0] in capitals):
                    continue
                found[entry.concept] = None
        return [self.concepts[concept] for concept in found]

    @staticmethod
    def term_words(term: Term) -> tuple[str, ...]:
        """The indexed terms of a thesaurus term (stemmed in its own language)."""
        return tuple(analysed_words(term.text, term.index_language))


def read_rows(path: Path = THESAURUS_PATH) -> list[tuple[str, str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(line for line in handle if not line.startswith("#"))
        return [(row["concept"].strip(), row["language"].strip(), row["term"].strip()) for row in reader]


@lru_cache(maxsize=1)
def thesaurus() -> Thesaurus:
    """The shipped thesaurus, loaded once per process."""
    return Thesaurus(read_rows())
