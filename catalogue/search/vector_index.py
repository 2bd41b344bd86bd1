"""The database backend's semantic leg: exact cosine similarity over every distinct embedded text, in the application.

Texts, not documents, are compared: a label shared by 500 variables is one row of the matrix. The matrix of
all cached vectors is loaded once per process and reloaded when the cache has grown (one ``COUNT`` per
search: :func:`embedded_text_count`, whose answer the search hands to :func:`too_many_texts` and
:func:`nearest_texts`). Above ``settings.SEARCH_SEMANTIC_MAX_TEXTS`` distinct texts the leg is skipped and the
caller says so: past that size a query would spend too long here, and Elasticsearch's kNN is the tool.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection

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


@functools.cache
def _count_statement(vendor: str) -> tuple[str, tuple[Any, ...]]:
    # The same statement for every search: compiled by the ORM once per database vendor, not once per search.
    sql, params = EmbeddingCache.objects.filter(model=MODEL_NAME).values("pk").query.sql_with_params()
    return f"SELECT COUNT(*) FROM ({sql}) texts", tuple(params)


def embedded_text_count() -> int:
    """How many distinct texts have a vector (one ``COUNT``)."""
    with connection.cursor() as cursor:
        cursor.execute(*_count_statement(connection.vendor))
        return int(cursor.fetchone()[0])


def too_many_texts(count: int | None = None) -> str:
    """Why the database semantic leg is skipped at this catalogue size ('' when it is not).

    ``count``: :func:`embedded_text_count`, when the caller has it already (counted if not given).
    """
    count = embedded_text_count() if count is None else count
    if count > settings.SEARCH_SEMANTIC_MAX_TEXTS:
        return (
            f"Semantic matching skipped: {count:,} distinct texts exceed SEARCH_SEMANTIC_MAX_TEXTS="
            f"{settings.SEARCH_SEMANTIC_MAX_TEXTS:,} for the database backend (use Elasticsearch)."
        )
    return ""


def _text_matrix(count: int) -> _TextMatrix:
    global _matrix
    import numpy as np

    with _lock:
        if _matrix is None or _matrix.count != count:
            rows = list(EmbeddingCache.objects.filter(model=MODEL_NAME).values_list("text_hash", "vector"))
            vectors = np.frombuffer(b"".join(bytes(vector) for _, vector in rows), dtype="<f4")
            # An empty cache (nothing embedded yet) is an empty matrix, not a reshape error.
            shape = (len(rows), -1) if rows else (0, 0)
            _matrix = _TextMatrix(count=len(rows), hashes=[key for key, _ in rows], vectors=vectors.reshape(shape))
        return _matrix


@functools.cache
def _blas() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def nearest_texts(
    query: Any, *, limit: int, min_similarity: float, count: int | None = None
) -> list[tuple[str, float]]:
    """The ``limit`` text hashes most similar to ``query`` (a normalised vector) with at least ``min_similarity``,
    most similar first.

    ``count``: :func:`embedded_text_count`, when the caller has it already; the matrix is reloaded when it
    differs from the loaded one's.
    """
    import numpy as np

    matrix = _text_matrix(embedded_text_count() if count is None else count)
    if not matrix.hashes:
        return []
    # One BLAS thread: a few thousand rows take a fraction of a millisecond on one core, while OpenBLAS's
    # thread pool, woken for each product, made it 10-40 ms on a machine whose cores are busy.
    with _blas().limit(limits=1, user_api="blas"):
        similarities = matrix.vectors @ query
    candidates = np.flatnonzero(similarities >= min_similarity)
    if candidates.size > limit:
        candidates = candidates[np.argpartition(-similarities[candidates], limit - 1)[:limit]]
    ordered = candidates[np.argsort(-similarities[candidates], kind="stable")]
    return [(matrix.hashes[index], float(similarities[index])) for index in ordered]
