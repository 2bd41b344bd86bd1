"""Elasticsearch mappings and index names, written for *any* Elasticsearch 9 cluster.

Only what the server core ships is used: the ``standard`` and ``keyword`` analyzers, keyword
fields, the completion suggester with a category context, aggregations and aliases — no
``analysis-common`` (accent folding is done by the application, see ``catalogue.search.text``),
no ``mapper-extras``. ``dynamic: strict`` everywhere: a document with a field the mapping does
not name is rejected instead of silently growing the mapping.

Vectors are not stored on the documents: each distinct embedded text has one entry in the small
``texts`` index (text hash → vector), and datasets and variables carry the hash of their text in
``text_hash``. A kNN search runs over the texts, then the documents with the nearest hashes are
fetched under the searcher's filters (:mod:`.es_knn`): vector work is proportional to distinct
texts, not to variables (most labels repeat across datasets).

Each document type (and the texts) lives in a versioned physical index (``<prefix>-<type>-<timestamp>``)
behind an alias (``<prefix>-<type>``); readers and the sync use the alias, and a rebuild swaps
it atomically.
"""

from __future__ import annotations

from typing import Any

from catalogue.search.embeddings import DIMENSIONS
from catalogue.search.facets import DATASET_FACETS, VARIABLE_FACETS

DOC_TYPES = ("datasets", "variables")
TEXTS = "texts"
INDEX_TYPES = (*DOC_TYPES, TEXTS)  # every alias a rebuild swaps

# Text is normalised by the application before it reaches Elasticsearch, so the standard
# analyzer only has to split on spaces and the keyword analyzer keeps suggestions whole.
SEARCH_TEXT = {"type": "text", "analyzer": "standard"}
KEYWORD = {"type": "keyword"}
DISPLAY_ONLY = {"type": "keyword", "index": False, "doc_values": False}
NOT_INDEXED = {"type": "object", "enabled": False}
SUGGEST = {
    "type": "completion",
    "analyzer": "keyword",
    "max_input_length": 100,
    "contexts": [{"name": "visibility", "type": "category"}],
}


# The text embedding (catalogue.search.embeddings) of one distinct text: dense_vector is in the server core.
# int8 HNSW keeps a quarter of the float memory with little recall loss at 384 dimensions.
EMBEDDING = {
    "type": "dense_vector",
    "dims": DIMENSIONS,
    "index": True,
    "similarity": "cosine",
    "index_options": {"type": "int8_hnsw"},
}


def _facets(names: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "object", "dynamic": "strict", "properties": dict.fromkeys(names, KEYWORD)}


_COMMON = {
    "id": {"type": "long"},
    "status": KEYWORD,
    "partner_id": {"type": "long"},
    "partner_name": DISPLAY_ONLY,
    "patient_count": {"type": "integer"},
    "updated_at": {"type": "date"},
    "exact": KEYWORD,
    "primary": SEARCH_TEXT,
    "secondary": SEARCH_TEXT,
    "digest": {"type": "keyword", "index": False},
    "suggest": SUGGEST,
    "text_hash": KEYWORD,
}

MAPPINGS: dict[str, dict[str, Any]] = {
    "datasets": {
        "dynamic": "strict",
        "properties": {
            **_COMMON,
            "slug": KEYWORD,
            "title": DISPLAY_ONLY,
            "description": DISPLAY_ONLY,
            "partner_short_name": DISPLAY_ONLY,
            "sample_count": {"type": "integer", "index": False},
            "collection_start": {"type": "date"},
            "collection_end": {"type": "date"},
            "variable_count": {"type": "integer", "index": False},
            "diseases": NOT_INDEXED,
            "facets": _facets(DATASET_FACETS),
        },
    },
    "variables": {
        "dynamic": "strict",
        "properties": {
            **_COMMON,
            "dataset_id": {"type": "long"},
            "dataset_slug": KEYWORD,
            "dataset_title": DISPLAY_ONLY,
            "name": DISPLAY_ONLY,
            "label": DISPLAY_ONLY,
            "description": DISPLAY_ONLY,
            "value_type": KEYWORD,
            "unit": DISPLAY_ONLY,
            "concepts": NOT_INDEXED,
            "concept_keys": KEYWORD,
            # The dataset's disease names and codes (low weight): "LAM FLT3" finds FLT3 in the AML cohorts.
            "context": SEARCH_TEXT,
            "sync_token": KEYWORD,
            "facets": _facets(VARIABLE_FACETS),
        },
    },
    TEXTS: {
        "dynamic": "strict",
        "properties": {"kind": KEYWORD, "text_hash": KEYWORD, "embedding": EMBEDDING},
    },
}


def index_settings(*, replicas: int, building: bool, shards: int = 1) -> dict[str, Any]:
    """Settings of a new physical index; while ``building``, no refreshes (bulk speed).

    The replicas are kept while building: a node lost in the middle of a rebuild then costs no document
    (its shards' copies are promoted), where a copy-less building shard would stay red until the node
    came back. On one node ``replicas`` is 0 and nothing is written twice."""
    settings: dict[str, Any] = {"number_of_shards": shards, "number_of_replicas": replicas}
    if building:
        settings["refresh_interval"] = "-1"
    return settings


def visibility_contexts(status: str, partner_id: int) -> list[str]:
    """Completion-suggester context values of a document: its status, and status-partner for curators."""
    return [status, f"{status}-{partner_id}"]
