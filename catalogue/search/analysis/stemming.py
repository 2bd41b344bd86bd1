"""Snowball stemming (PyStemmer) and stop words for the catalogue's search languages.

Stop-word lists are shipped as data (``catalogue/search/data/stopwords/<code>.txt``, from the
Snowball project's lists; the source is in each file's first line) and folded like all text.
"""

from __future__ import annotations

import threading
from functools import cache, lru_cache
from pathlib import Path

import Stemmer

from catalogue.search.text import fold

# ISO 639-1 code → Snowball algorithm name.
LANGUAGES: dict[str, str] = {
    "en": "english",
    "de": "german",
    "fr": "french",
    "it": "italian",
    "es": "spanish",
    "nl": "dutch",
    "pt": "portuguese",
    "sv": "swedish",
    "da": "danish",
    "fi": "finnish",
}
DEFAULT_LANGUAGE = "en"
STOPWORDS_DIR = Path(__file__).resolve().parent.parent / "data" / "stopwords"

# PyStemmer's stemmer objects are not thread-safe: one set per thread (threaded servers analyse queries).
_local = threading.local()


def _stemmer(language: str) -> Stemmer.Stemmer:
    stemmers: dict[str, Stemmer.Stemmer] | None = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if language not in stemmers:
        stemmers[language] = Stemmer.Stemmer(LANGUAGES[language])
    return stemmers[language]


@lru_cache(maxsize=400_000)
def stem(word: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The Snowball stem of a folded ``word`` in ``language``; words with a digit (codes, notation) are kept whole."""
    if len(word) < 3 or not word.isalpha():
        return word
    return _stemmer(language).stemWord(word)


@cache
def stopwords(language: str) -> frozenset[str]:
    """The folded stop words of ``language`` (empty for a language without a list)."""
    path = STOPWORDS_DIR / f"{language}.txt"
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(fold(line.strip()) for line in lines if line.strip() and not line.startswith("#"))


# Words about the catalogue itself ("cohorts", "Register", "données"): optional in a query of any language.
CATALOGUE_STOPWORDS = "catalogue"


def is_stopword(word: str, languages: tuple[str, ...]) -> bool:
    """Whether ``word`` is a stop word of one of ``languages`` or a word about the catalogue itself."""
    return word in stopwords(CATALOGUE_STOPWORDS) or any(word in stopwords(language) for language in languages)
