"""Text normalisation shared by indexing and querying, so every backend folds accents the same way.

Elasticsearch's test distribution has no ``analysis-common`` (no asciifolding), so the
application folds text itself: "München" and "Munchen" both become ``munchen``, "Straße"
becomes ``strasse``. Indexed text and query text go through
:func:`normalise`, which also splits on anything that is not a letter or a digit
("FLT3-ITD" → ``flt3 itd``, "HGNC:NPM1" → ``hgnc npm1``, "npm1_status" → ``npm1 status``),
so the database backend's whole-word matching and Elasticsearch's standard analyzer see
the same tokens.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from django.utils.html import escape

_NON_WORD = re.compile(r"[^0-9a-z]+")
_WORD = re.compile(r"\w+", re.UNICODE)
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


def _word_tokens(word: str) -> tuple[str, ...]:
    return _short_tokens(word) if len(word) <= _MEMO_MAX_CHARS else tuple(tokens(word))


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


def highlight(text: str, query_tokens: Iterable[str], *, max_chars: int = 240) -> str:
    """HTML-escaped ``text`` with the words matching ``query_tokens`` wrapped in ``<mark>``.

    Matching is accent-insensitive (a query for "munchen" marks "München"). Long text is cut
    to a window of about ``max_chars`` around the first match. Returns "" when nothing matches.
    """
    wanted = set(query_tokens)
    if not text or not wanted:
        return ""
    pieces: list[str] = []
    first_match: int | None = None
    position = 0
    for match in _WORD.finditer(text):
        if wanted.isdisjoint(_word_tokens(match.group())):
            continue
        if first_match is None:
            first_match = match.start()
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    if first_match is None:
        return ""
    pieces.append(escape(text[position:]))
    marked_text = "".join(pieces)
    if len(text) <= max_chars:
        return marked_text
    return _window(text, query_tokens=wanted, max_chars=max_chars)


def _window(text: str, *, query_tokens: set[str], max_chars: int) -> str:
    """Highlight a ``max_chars`` window of ``text`` starting a little before the first match."""
    for match in _WORD.finditer(text):
        if not query_tokens.isdisjoint(_word_tokens(match.group())):
            start = max(0, match.start() - max_chars // 4)
            break
    else:
        start = 0
    # Cut on word boundaries so the window never starts or ends mid-word.
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(len(text), start + max_chars)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    snippet = highlight(text[start:end], query_tokens, max_chars=max_chars + 1)
    return ("…" if start > 0 else "") + snippet + ("…" if end < len(text) else "")
