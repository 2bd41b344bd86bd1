"""Marking the words of a displayed text that a query matched (the same analysis as indexing)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from django.utils.html import escape

from catalogue.search.analysis import word_forms

_WORD = re.compile(r"\w+", re.UNICODE)


def highlight(text: str, query_tokens: Iterable[str], *, max_chars: int = 240) -> str:
    """HTML-escaped ``text`` with the words matching ``query_tokens`` wrapped in ``<mark>``.

    A displayed word matches when one of its analysed forms (folded, American spelling, stemmed in
    any supported language) is a query term: "munchen" marks "München", "leukemia" marks "leukaemias". Long text is cut
    to a window of about ``max_chars`` around the first match. Returns "" when nothing matches.
    """
    return _highlight(text, tuple(query_tokens), max_chars)


# Memoised: a page of hits repeats texts (hundreds of variables share a label such as "JAK2 V617F"), and so do
# the pages of one question; the answer depends on the text and the terms alone.
@lru_cache(maxsize=4096)
def _highlight(text: str, query_tokens: tuple[str, ...], max_chars: int) -> str:
    wanted = set(query_tokens)
    if not text or not wanted:
        return ""
    pieces: list[str] = []
    first_match: int | None = None
    position = 0
    for match in _WORD.finditer(text):
        if wanted.isdisjoint(word_forms(match.group())):
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
        if not query_tokens.isdisjoint(word_forms(match.group())):
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
