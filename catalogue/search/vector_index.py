"""The database backend's semantic leg: exact cosine similarity over every distinct embedded text, in the application.

Texts, not documents, are compared: a label shared by 500 variables is one row of the matrix. The matrix of
all cached vectors is loaded once per process and reloaded when the cache has grown (one ``COUNT`` per
search). Above ``settings.SEARCH_SEMANTIC_MAX_TEXTS`` distinct texts the leg is skipped and the caller says
so: past that size a query would spend too long here, and Elasticsearch's kNN is the tool.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from catalogue.search.embeddings import MODEL_NAME
from catalogue.search.models import EmbeddingCache


@dataclass
class _TextMatrix:
    count: int
    hashes: list[str]
    vectors: Any  # numpy (n, DIMENSIONS) float32, rows L2-normalised


_matrix: _TextMatrix | None = None
_lock = threading.Lock()


def forget_text_matrix() -> None:
    global _matrix
    _matrix = None


def too_many_texts() -> str:
    """Why the database semantic leg is skipped at this catalogue size ('' when it is not)."""
    count = EmbeddingCache.objects.filter(model=MODEL_NAME).count()
    if count > settings.SEARCH_SEMANTIC_MAX_TEXTS:
        return (
            f"Semantic matching skipped: {count:,} distinct texts exceed SEARCH_SEMANTIC_MAX_TEXTS="
            f"{settings.SEARCH_SEMANTIC_MAX_TEXTS:,} for the database backend (use Elasticsearch)."
        )
    return ""


def _text_matrix() -> _TextMatrix:
    global _matrix
    import numpy as np

    count = EmbeddingCache.objects.filter(model=MODEL_NAME).count()
    with _lock:
        if _matrix is None or _matrix.count != count:
            rows = list(EmbeddingCache.objects.filter(model=MODEL_NAME).values_list("text_hash", "vector"))
            vectors = np.frombuffer(b"".join(bytes(vector) for _, vector in rows), dtype="<f4")
            # An empty cache (nothing embedded yet) is an empty matrix, not a reshape error.
            shape = (len(rows), -1) if rows else (0, 0)
            _matrix = _TextMatrix(count=len(rows), hashes=[key for key, _ in rows], vectors=vectors.reshape(shape))
        return _matrix


def nearest_texts(query: Any, *, limit: int, min_similarity: float) -> list[tuple[str, float]]:
    """The ``limit`` text hashes most similar to ``query`` (a normalised vector) with at least ``min_similarity``,
    most similar first."""
    import numpy as np

    matrix = _text_matrix()
    if not matrix.hashes:
        return []
    similarities = matrix.vectors @ query
    candidates = np.flatnonzero(similarities >= min_similarity)
    if candidates.size > limit:
        candidates = candidates[np.argpartition(-similarities[candidates], limit - 1)[:limit]]
    ordered = candidates[np.argsort(-similarities[candidates], kind="stable")]
    return [(matrix.hashes[index], float(similarities[index])) for index in ordered]
