"""Text analysis done by the application, identically for every backend and every Elasticsearch cluster.

Indexed text and queries go through the same steps, so what matches never depends on which
analyzers a cluster has (our test server has no ``analysis-common``):

1. hematology notation is rewritten to canonical tokens (:mod:`.notation`: ``t(9;22)`` = ``t9;22``,
   ``+8`` = trisomy 8, ``10*9/L`` = ``G/L`` …);
2. the text is accent-folded and split on everything that is not a letter or digit
   (:func:`catalogue.search.text.tokens`);
3. each word takes its American spelling (:mod:`.spelling`: leukaemia → leukemia);
4. each word is stemmed with the Snowball stemmer of the text's language (:mod:`.stemming`).

:func:`analyse` gives the indexed form of a field's text in one language (English unless the text
is a translation); :func:`exact_form` gives steps 1-3 only, for exact-name matching and
suggestions; :func:`word_forms` gives every form a displayed word may match, for highlighting.
Query analysis (stop words, one stemmer per requested language, thesaurus expansion) is in
:mod:`catalogue.search.query`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from catalogue.search.analysis.notation import rewrite_notation
from catalogue.search.analysis.spelling import american
from catalogue.search.analysis.stemming import DEFAULT_LANGUAGE, LANGUAGES, is_stopword, stem, stopwords
from catalogue.search.text import tokens

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "analyse",
    "analysed_words",
    "exact_form",
    "is_stopword",
    "stem",
    "stopwords",
    "surface_words",
    "word_forms",
]

_MEMO_MAX_CHARS = 200


def surface_words(text: str) -> list[str]:
    """Steps 1-3: notation rewritten, folded, split, American spelling; no stemming."""
    if len(text) <= _MEMO_MAX_CHARS:
        return list(_short_surface_words(text))
    return [american(word) for word in tokens(rewrite_notation(text))]


@lru_cache(maxsize=200_000)
def _short_surface_words(text: str) -> tuple[str, ...]:
    # Labels, names and units repeat across datasets: memoising short strings saves most of a reindex's work.
    return tuple(american(word) for word in tokens(rewrite_notation(text)))


def analysed_words(text: str, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """The indexed terms of ``text`` written in ``language``, in order (stop words kept, for phrases)."""
    return [stem(word, language) for word in surface_words(text)]


def analyse(*parts: str | Iterable[str] | None, language: str = DEFAULT_LANGUAGE) -> str:
    """One space-separated string of the indexed terms of all ``parts`` (strings or iterables of strings)."""
    words: list[str] = []
    for part in parts:
        if not part:
            continue
        if isinstance(part, str):
            words.extend(analysed_words(part, language))
        else:
            for item in part:
                if item:
                    words.extend(analysed_words(str(item), language))
    return " ".join(words)


def exact_form(*parts: str | Iterable[str] | None) -> str:
    """The exact-match form of ``parts``: analysis steps 1-3 (no stemming), space-separated."""
    words: list[str] = []
    for part in parts:
        if not part:
            continue
        for item in [part] if isinstance(part, str) else part:
            if item:
                words.extend(surface_words(str(item)))
    return " ".join(words)


@lru_cache(maxsize=100_000)
def word_forms(word: str) -> frozenset[str]:
    """Every term a displayed ``word`` is indexed as, in any supported language (for highlighting)."""
    forms: set[str] = set()
    for surface in surface_words(word):
        forms.add(surface)
        forms.update(stem(surface, language) for language in LANGUAGES)
    return frozenset(forms)
