"""Parsing what searchers type into what backends match.

:func:`analyse_query` turns free text into ranked-matching clauses that every backend
translates into its own query language (Elasticsearch bool/should, PostgreSQL tsquery, SQLite
``LIKE``), so all of them match the same terms:

* one clause per query word, or per phrase found in the thesaurus ("acute myeloid leukaemia",
  "Hb", "Gesamtüberleben"); a clause matches when any of its alternatives does: the word's stem in
  each query language, or (thesaurus) any term of the concept in any language, or its mapped codes;
* stop words ("with", "de", "mit") and words about the catalogue itself ("cohorts", "Register") are
  optional clauses: they rank, but never have to match;
* a document must match :attr:`AnalysedQuery.minimum_should_match` of the other clauses: all of
  them up to two, half of them (rounded up, at least two) beyond; documents matching more rank higher;
* the query's words in order make a phrase (boosted), its exact form an exact name (boosted more).

Which language? A query with ``lang`` is stemmed in that language and in English (the language of
untranslated catalogue text); a query without one is stemmed in every supported language and a
word matches any of its stems (the union), so nobody has to say which language they type in.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from catalogue.reference_data import shipped_vocabularies
from catalogue.search.analysis import DEFAULT_LANGUAGE, LANGUAGES, exact_form, is_stopword, stem, surface_words
from catalogue.search.documents import concept_key
from catalogue.search.text import fold
from catalogue.search.thesaurus import CODE, MAX_SPAN_WORDS, Term, thesaurus

# The shipped vocabularies (read from the data file, not the table, so that parsing a query needs no query).
_VOCABULARIES = {row["id"].casefold(): row["id"] for row in shipped_vocabularies()}
_RAW_WORD = re.compile(r"[^\W_]+")
MAX_ALTERNATIVES = 16  # per clause: keeps an expanded query cheap on every backend
FUZZY_MIN_LETTERS = 5


@dataclass(frozen=True)
class Alternative:
    """One way a clause can match: every one of ``terms`` in the document, or the mapped ``concept_key``.

    ``expansion``: added by the thesaurus (a synonym, translation or code) rather than typed; ranks a
    little below the words themselves.
    """

    terms: tuple[str, ...] = ()
    concept_key: str | None = None
    expansion: bool = False


@dataclass(frozen=True)
class Clause:
    text: str  # the query words the clause stands for
    alternatives: tuple[Alternative, ...]
    optional: bool = False  # a stop word: ranks, never required
    fuzzy: str | None = None  # the term to match with typo tolerance (words of 5+ letters, not expanded)


@dataclass(frozen=True)
class AnalysedQuery:
    text: str
    languages: tuple[str, ...]
    clauses: tuple[Clause, ...]
    phrase: tuple[str, ...]
    exact: str
    expanded_terms: tuple[str, ...]

    @property
    def required(self) -> tuple[Clause, ...]:
        """The clauses that count towards the minimum (all of them when the query is only stop words)."""
        required = tuple(clause for clause in self.clauses if not clause.optional)
        return required or self.clauses

    @property
    def optional(self) -> tuple[Clause, ...]:
        required = self.required
        return tuple(clause for clause in self.clauses if clause not in required)

    @property
    def minimum_should_match(self) -> int:
        return required_matches(len(self.required))

    @property
    def terms(self) -> tuple[str, ...]:
        """Every analysed term of every alternative (what highlighting marks)."""
        found: dict[str, None] = {}
        for clause in self.clauses:
            for alternative in clause.alternatives:
                found.update(dict.fromkeys(alternative.terms))
        return tuple(found)

    def __bool__(self) -> bool:
        return bool(self.clauses)


def required_matches(count: int) -> int:
    """How many of ``count`` required clauses a document must match: all up to two, then half (rounded
    up, at least two). A long question often spans two variables ("NPM1 and FLT3-ITD status"): ranking
    by the clauses matched, not exclusion, decides then."""
    return count if count <= 2 else max(2, math.ceil(count / 2))


def query_languages(language: str | None) -> tuple[str, ...]:
    if language is None:
        return tuple(LANGUAGES)
    return tuple(dict.fromkeys((language, DEFAULT_LANGUAGE)))


def analyse_query(text: str, language: str | None = None) -> AnalysedQuery:
    """The clauses, phrase and exact form of ``text`` (``language``: an ISO code of :data:`LANGUAGES`, or None)."""
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"Unsupported search language {language!r}.")
    return _analyse_query(text.strip(), language)


@lru_cache(maxsize=4096)
def _analyse_query(text: str, language: str | None) -> AnalysedQuery:
    languages = query_languages(language)
    words = surface_words(text)
    capitals = frozenset(fold(word) for word in _RAW_WORD.findall(text) if word.isupper() and len(word) > 1)
    vocabulary = thesaurus()
    clauses: list[Clause] = []
    expanded: dict[str, None] = {}
    position = 0
    while position < len(words):
        for length in range(min(MAX_SPAN_WORDS, len(words) - position), 0, -1):
            span = tuple(words[position : position + length])
            concepts = vocabulary.lookup(span, languages=languages, capitals=capitals)
            if concepts:
                clauses.append(_expanded_clause(span, concepts, languages, expanded))
                position += length
                break
        else:
            word = words[position]
            clauses.append(_word_clause(word, languages))
            position += 1
    phrase = tuple(stem(word, languages[0]) for word in words) if len(words) > 1 else ()
    return AnalysedQuery(
        text=text,
        languages=languages,
        clauses=tuple(clauses),
        phrase=phrase,
        exact=exact_form(text),
        expanded_terms=tuple(expanded),
    )


def _word_clause(word: str, languages: tuple[str, ...]) -> Clause:
    """A word the thesaurus does not expand: its stems; optional when it is a stop word of a query language."""
    stems = dict.fromkeys(stem(word, language) for language in languages)
    optional = word.isalpha() and is_stopword(word, languages)
    fuzzy = stem(word, DEFAULT_LANGUAGE) if len(word) >= FUZZY_MIN_LETTERS and word.isalpha() else None
    return Clause(
        text=word,
        alternatives=tuple(Alternative(terms=(term,)) for term in stems),
        optional=optional,
        fuzzy=None if optional else fuzzy,
    )


def _expanded_clause(span, concepts, languages: tuple[str, ...], expanded: dict[str, None]) -> Clause:
    own = {tuple(stem(word, language) for word in span) for language in languages}
    alternatives: dict[Alternative, None] = dict.fromkeys(Alternative(terms=terms) for terms in sorted(own))
    terms: list[Term] = [term for concept in concepts for term in concept.terms]
    # The query's languages first, then English, then the rest: the bound keeps the likeliest forms.
    rank: dict[str, int] = {}
    for code in (*languages, DEFAULT_LANGUAGE, "*"):
        rank.setdefault(code, len(rank))
    for term in sorted(terms, key=lambda t: rank.get(t.language, len(rank))):
        if len(alternatives) >= MAX_ALTERNATIVES:
            break
        if term.language == CODE:
            alternative = Alternative(concept_key=_code_key(term.text), expansion=True)
        else:
            words = thesaurus().term_words(term)
            if not words or words in own:
                continue
            alternative = Alternative(terms=words, expansion=True)
        if alternative not in alternatives and Alternative(terms=words) not in alternatives:
            alternatives[alternative] = None
            expanded[term.text] = None
    return Clause(text=" ".join(span), alternatives=tuple(alternatives))


def _code_key(code: str) -> str:
    vocabulary, _, value = code.partition(":")
    return concept_key(vocabulary, value)


@dataclass(frozen=True)
class ConceptTerm:
    """One feasibility concept, parsed: a vocabulary code key ("hgnc npm1") or analysed words and their exact form."""

    raw: str
    concept_key: str | None
    tokens: tuple[str, ...]
    exact: str = ""


def parse_concept(raw: str) -> ConceptTerm:
    """A feasibility concept: ``VOCABULARY:CODE`` (e.g. "HGNC:NPM1", "LOINC:21907-1") matches that
    mapped concept exactly; anything else matches variables whose name, label or concepts contain
    all of its words ("FLT3-ITD status"), analysed like indexed text."""
    text = raw.strip()
    vocabulary, sep, code = text.partition(":")
    if sep and code.strip() and vocabulary.strip().casefold() in _VOCABULARIES:
        return ConceptTerm(
            raw=text,
            concept_key=concept_key(_VOCABULARIES[vocabulary.strip().casefold()], code.strip()),
            tokens=(),
        )
    return ConceptTerm(
        raw=text,
        concept_key=None,
        tokens=tuple(stem(word) for word in surface_words(text)),
        exact=exact_form(text),
    )
