"""Embedding benchmark (``make bench-embeddings``): what cross-language semantic matching costs to index.

For the catalogue in the configured database (seed it first: ``manage.py seed_demo [--scale N]``):

1. documents rendered vs distinct texts to embed (a variable's label, a dataset's title);
2. the model's wall time and the process's peak memory to embed every distinct text once, cold (the
   ``EmbeddingCache`` is neither read nor written, so repeated runs measure the same thing);
3. the Elasticsearch store size of the variable and dataset indices (no vectors on them) and of the texts
   index (one vector per distinct text and document type), fresh indices under
   ``<ELASTICSEARCH_INDEX_PREFIX>-embbench-*`` deleted afterwards, each force-merged to one segment.

Environment: BENCH_ES=0 skips part 3. Results are printed and written to
scripts/bench/results/embeddings-<database vendor>-<documents>.json.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harmony.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from elasticsearch import helpers  # noqa: E402

from catalogue.search import embeddings  # noqa: E402
from catalogue.search.backends.elasticsearch import ElasticsearchSearchBackend, es_document, remember_text  # noqa: E402
from catalogue.search.backends.es_knn import text_id, text_source  # noqa: E402
from catalogue.search.backends.es_mappings import DOC_TYPES, INDEX_TYPES, MAPPINGS, TEXTS, index_settings  # noqa: E402
from catalogue.search.documents import iter_all_documents  # noqa: E402

RESULTS = ROOT / "scripts" / "bench" / "results"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def distinct_texts() -> tuple[dict[str, int], dict[str, str]]:
    """Documents per type, and every distinct embedded text by its hash."""
    counts = dict.fromkeys(DOC_TYPES, 0)
    texts: dict[str, str] = {}
    for doc_type, document in iter_all_documents():
        counts[doc_type] += 1
        text = embeddings.embedded_text(document)
        if text:
            texts.setdefault(embeddings.text_hash(text), text)
    return counts, texts


def embed_cold(texts: list[str]) -> tuple[float, dict[str, Any]]:
    """Seconds to embed ``texts`` with the model, in the batches indexing uses; the vectors by hash."""
    vectors: dict[str, Any] = {}
    started = time.perf_counter()
    for start in range(0, len(texts), embeddings.EMBED_BATCH_SIZE):
        batch = texts[start : start + embeddings.EMBED_BATCH_SIZE]
        for text, vector in zip(batch, embeddings._embed(batch), strict=True):
            vectors[embeddings.text_hash(text)] = vector
    return time.perf_counter() - started, vectors


def index_sizes(vectors: dict[str, Any]) -> dict[str, Any]:
    """Store bytes of each document index (which carry no vectors, only the ``text_hash`` keyword) and of the
    texts index holding one vector per distinct text and document type: "with vectors" is their sum."""
    backend = ElasticsearchSearchBackend(index_prefix=f"{settings.ELASTICSEARCH_INDEX_PREFIX}-embbench".lower())
    names = {doc_type: f"{backend.index_prefix}-{doc_type}" for doc_type in INDEX_TYPES}
    for doc_type, name in names.items():
        backend.client.indices.delete(index=name, ignore_unavailable=True)
        backend.client.indices.create(
            index=name, settings=index_settings(replicas=0, building=True), mappings=MAPPINGS[doc_type]
        )
    texts: dict[tuple[str, str], str] = {}

    def actions() -> Any:
        for doc_type, document in iter_all_documents():
            remember_text(texts, doc_type, document)
            yield {"_index": names[doc_type], "_id": document["id"], "_source": es_document(document)}
        for kind, key in texts:
            if key in vectors:
                source = text_source(kind, key, vectors[key])
                yield {"_index": names[TEXTS], "_id": text_id(kind, key), "_source": source}

    helpers.bulk(backend.client, actions(), chunk_size=1000)
    sizes: dict[str, int] = {}
    for doc_type, name in names.items():
        backend.client.indices.refresh(index=name)
        backend.client.indices.forcemerge(index=name, max_num_segments=1)
        stats = backend.client.indices.stats(index=name, metric="store")
        sizes[doc_type] = stats["indices"][name]["primaries"]["store"]["size_in_bytes"]
        backend.client.indices.delete(index=name)
    documents = sum(size for doc_type, size in sizes.items() if doc_type != TEXTS)
    return {"bytes": sizes, "total": {"without_vectors": documents, "with_vectors": documents + sizes[TEXTS]}}


def main() -> None:
    status = embeddings.semantic_status()
    if not status.available:
        sys.exit(status.reason)
    rss_before = peak_rss_mb()
    started = time.perf_counter()
    counts, texts = distinct_texts()
    render_seconds = time.perf_counter() - started
    embeddings._model()  # loaded once per process, not part of the per-text cost
    rss_model = peak_rss_mb()
    seconds, vectors = embed_cold(list(texts.values()))
    result: dict[str, Any] = {
        "database": connection.vendor,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs (shared)",
        "model": embeddings.MODEL_NAME,
        "threads": settings.SEARCH_EMBEDDING_THREADS,
        "documents": counts,
        "distinct_texts": len(texts),
        "render_seconds": round(render_seconds, 1),
        "embed_seconds": round(seconds, 1),
        "texts_per_second": round(len(texts) / seconds, 1) if seconds else None,
        "peak_rss_mb": {
            "before_model": round(rss_before),
            "model_loaded": round(rss_model),
            "after": round(peak_rss_mb()),
        },
    }
    if os.environ.get("BENCH_ES", "1") != "0":
        result["index_bytes"] = index_sizes(vectors)
    print(json.dumps(result, indent=2))
    RESULTS.mkdir(parents=True, exist_ok=True)
    total = sum(counts.values())
    (RESULTS / f"embeddings-{connection.vendor}-{total}.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
