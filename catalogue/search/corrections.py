"""'Did you mean …': the closest catalogue words to the words of a query that found nothing.

The vocabulary is every word (folded, American spelling, 4+ letters) of the published
catalogue's variable names and labels, dataset titles and keywords, disease names and the
thesaurus: read from the catalogue tables (not from an index), so both backends offer the same
corrections, and only published text is used, so no draft's words leak. It is read at most once
every :data:`VOCABULARY_TTL_SECONDS` per process: a correction may lag a new word by that long.
Words of 5+ letters are corrected within the same edit distance as Elasticsearch's
``fuzziness: AUTO`` (1 edit up to 5 letters, 2 beyond), preferring the more frequent word.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from catalogue.models import Dataset, DatasetStatus, DiseaseArea, Variable
from catalogue.search.analysis import surface_words
from catalogue.search.query import FUZZY_MIN_LETTERS
from catalogue.search.thesaurus import thesaurus

VOCABULARY_TTL_SECONDS = 300
MIN_WORD_LETTERS = 4

_lock = threading.Lock()
_cache: tuple[float, Counter[str]] | None = None


def _words(texts) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        if text:
            counts.update(word for word in surface_words(str(text)) if len(word) >= MIN_WORD_LETTERS and word.isalpha())
    return counts


def vocabulary() -> Counter[str]:
    """Word → how many distinct catalogue texts use it (cached per process for a few minutes)."""
    global _cache
    with _lock:
        if _cache is not None and time.monotonic() - _cache[0] < VOCABULARY_TTL_SECONDS:
            return _cache[1]
    published = Variable.objects.filter(dataset__status=DatasetStatus.PUBLISHED)
    counts = _words(published.values_list("label", flat=True).distinct().order_by())
    counts.update(_words(published.values_list("name", flat=True).distinct().order_by()))
    datasets = Dataset.objects.filter(status=DatasetStatus.PUBLISHED)
    counts.update(_words(datasets.values_list("title", flat=True)))
    for keywords in datasets.values_list("keywords", flat=True):
        counts.update(_words(keywords or []))
    counts.update(_words(DiseaseArea.objects.values_list("name", flat=True)))
    counts.update(_words(term.text for concept in thesaurus().concepts.values() for term in concept.words))
    with _lock:
        _cache = (time.monotonic(), counts)
    return counts


def forget_vocabulary() -> None:
    """Drop the cached vocabulary (tests change the catalogue between queries)."""
    global _cache
    with _lock:
        _cache = None


def did_you_mean(text: str) -> str | None:
    """The query with each unknown word of 5+ letters replaced by its closest known word, or None."""
    words = surface_words(text)
    known = vocabulary()
    corrected: list[str] = []
    changed = False
    for word in words:
        if word in known or len(word) < FUZZY_MIN_LETTERS or not word.isalpha():
            corrected.append(word)
            continue
        edits = 1 if len(word) <= 5 else 2
        candidates = process.extract(word, known.keys(), scorer=Levenshtein.distance, score_cutoff=edits, limit=5)
        if not candidates:
            corrected.append(word)
            continue
        # The closest word; among equally close ones, the most used.
        best = min(candidates, key=lambda found: (found[1], -known[found[0]], found[0]))[0]
        corrected.append(best)
        changed = True
    return " ".join(corrected) if changed else None
