"""Accent folding and tokenisation: the first steps of the application's text analysis.

Elasticsearch's test distribution has no ``analysis-common`` (no asciifolding), so the
application folds text itself: "München" and "Munchen" both become ``munchen``, "Straße"
becomes ``strasse``. :func:`tokens` also splits on anything that is not a letter or a digit
("FLT3-ITD" → ``flt3 itd``, "HGNC:NPM1" → ``hgnc npm1``, "npm1_status" → ``npm1 status``).
The rest of the analysis (notation, spelling, stemming) builds on these in
:mod:`catalogue.search.analysis`; :func:`normalise` (folding only) keys mapped concepts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_NON_WORD = re.compile(r"[^0-9a-z]+")
# Letters NFKD does not decompose into a base letter plus marks.
_SPECIAL_FOLDS = str.maketrans(
    {"ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l", "đ": "d"}
)


def fold(text: str) -> str:
    """Lower-case, accent-free form of ``text`` (punctuation kept)."""
    if text.isascii():
        return text.lower()  # the common case, and the hot path of a full reindex
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL_FOLDS))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return stripped.casefold().translate(_SPECIAL_FOLDS)


def tokens(text: str) -> list[str]:
    """The search tokens of ``text``: folded, split on everything that is not an ASCII letter or digit."""
    if len(text) <= _MEMO_MAX_CHARS:
        return list(_short_tokens(text))
    return [token for token in _NON_WORD.split(fold(text)) if token]


_MEMO_MAX_CHARS = 200


@lru_cache(maxsize=200_000)
def _short_tokens(text: str) -> tuple[str, ...]:
    # Names, labels, units and titles repeat across datasets (the same NPM1 variable in fifty
    # cohorts): memoising short strings saves most of the folding work of a reindex.
    return tuple(token for token in _NON_WORD.split(fold(text)) if token)


def normalise(*parts: str | Iterable[str] | None) -> str:
    """One space-separated string of the tokens of all ``parts`` (strings or iterables of strings)."""
    words: list[str] = []
    for part in parts:
        if not part:
            continue
        if isinstance(part, str):
            words.extend(tokens(part))
        else:
            for item in part:
                if item:
                    words.extend(tokens(str(item)))
    return " ".join(words)
