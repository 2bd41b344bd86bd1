"""The semantic leg on Elasticsearch: kNN over the distinct texts, then the documents that carry them.

Vectors live in the ``texts`` index, one entry per distinct embedded text and document type (id
``<kind>-<text hash>``), not on the documents: most variable labels repeat across datasets, so
indexing work and HNSW graph size follow the distinct texts. A semantic search is two requests:

1. :func:`neighbours_body`: the ``5 * SEARCH_SEMANTIC_K`` texts of the document type nearest the query
   vector, with at least ``SEARCH_SEMANTIC_MIN_SIMILARITY`` cosine similarity (the texts index holds no
   document, so this step cannot leak one);
2. :func:`semantic_body`: the ``SEARCH_SEMANTIC_K`` documents carrying those text hashes under the very
   filters of the lexical query (visibility, intended use, facet selections), ranked by their text's
   nearness, then by recency — the database backend's rule (:mod:`catalogue.search.vector_index`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from catalogue.search.backends.base import INTERNAL_FIELDS, SearchRequest
from catalogue.search.backends.es_queries import base_filters, facet_filter, selected_facets

MAX_NUM_CANDIDATES = 10_000  # Elasticsearch's limit


def neighbour_count() -> int:
    """How many nearest texts the first step asks for: several documents' worth, since the filters of the
    second step may exclude every document of some texts."""
    return 5 * settings.SEARCH_SEMANTIC_K


def text_id(kind: str, key: str) -> str:
    return f"{kind}-{key}"


def text_source(kind: str, key: str, vector: Any) -> dict[str, Any]:
    """The ``texts`` entry of one distinct text of one document type."""
    return {"kind": kind, "text_hash": key, "embedding": vector.tolist()}


def neighbours_body(doc_type: str, vector: list[float]) -> dict[str, Any]:
    k = neighbour_count()
    return {
        "knn": {
            "field": "embedding",
            "query_vector": vector,
            "k": k,
            "num_candidates": min(MAX_NUM_CANDIDATES, max(200, 4 * k)),
            "similarity": settings.SEARCH_SEMANTIC_MIN_SIMILARITY,
            "filter": [{"term": {"kind": doc_type}}],
        },
        "size": k,
        "_source": ["text_hash"],
    }


def neighbours(response: dict[str, Any]) -> list[tuple[str, float]]:
    """(text hash, similarity) of the nearest texts, nearest first (cosine ``_score`` is ``(1 + cos) / 2``)."""
    return [(hit["_source"]["text_hash"], 2 * hit["_score"] - 1) for hit in response["hits"]["hits"]]


def semantic_body(
    request: SearchRequest, facet_names: tuple[str, ...], doc_type: str, nearest: list[tuple[str, float]]
) -> dict[str, Any]:
    """The documents carrying the ``nearest`` texts that the lexical query's filters admit: each text scores
    its rank from the end (a document has one text, so its score is its text's rank), recency breaks ties."""
    ranked = [
        {"constant_score": {"filter": {"term": {"text_hash": key}}, "boost": float(len(nearest) - position)}}
        for position, (key, _) in enumerate(nearest)
    ]
    return {
        "query": {
            "bool": {
                "filter": [
                    *base_filters(request, doc_type),
                    *(facet_filter(name, values) for name, values in selected_facets(request, facet_names).items()),
                    {"terms": {"text_hash": [key for key, _ in nearest]}},
                ],
                "should": ranked,
            }
        },
        "sort": ["_score", {"updated_at": "desc"}, {"id": "asc"}],
        "size": settings.SEARCH_SEMANTIC_K,
        "_source": {"excludes": [field for field in INTERNAL_FIELDS if field != "text_hash"]},
    }
