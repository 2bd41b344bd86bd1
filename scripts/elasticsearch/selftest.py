"""Self-test of a running Elasticsearch: the features HARMONY Catalogue relies on (standard library only).

    python3 scripts/elasticsearch/selftest.py http://127.0.0.1:9200

In a throwaway index (deleted afterwards): the standard and keyword analyzers, a category-context
completion suggester, an int8 HNSW ``dense_vector`` with a kNN query, highlighting, a terms aggregation and
an alias swapped with one ``_aliases`` call. Prints one line per feature; exits 1 naming the first that fails.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from typing import Any

BASE = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:9200"
INDEX = f"esdev-selftest-{os.getpid()}"
ALIAS = f"{INDEX}-alias"


def call(method: str, path: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        raise SystemExit(f"self-test: {method} {path} answered {error.code}: {error.read()[:400]!r}") from None


def check(feature: str, ok: bool, got: Any) -> None:
    if not ok:
        raise SystemExit(f"self-test: {feature} does not work on {BASE}: {json.dumps(got)[:400]}")
    print(f"self-test ok: {feature}")


def main() -> None:
    call(
        "PUT",
        f"/{INDEX}",
        {
            "settings": {"number_of_shards": 1, "number_of_replicas": 0},
            "mappings": {
                "dynamic": "strict",
                "properties": {
                    "primary": {"type": "text", "analyzer": "standard"},
                    "status": {"type": "keyword"},
                    "suggest": {
                        "type": "completion",
                        "analyzer": "keyword",
                        "contexts": [{"name": "visibility", "type": "category"}],
                    },
                    "embedding": {
                        "type": "dense_vector",
                        "dims": 3,
                        "index": True,
                        "similarity": "cosine",
                        "index_options": {"type": "int8_hnsw"},
                    },
                },
            },
        },
    )
    try:
        documents = [
            ("1", "haemoglobin at diagnosis", "published", [1.0, 0.0, 0.0]),
            ("2", "platelet count", "draft", [0.0, 1.0, 0.0]),
        ]
        for doc_id, text, status, vector in documents:
            call(
                "PUT",
                f"/{INDEX}/_doc/{doc_id}",
                {
                    "primary": text,
                    "status": status,
                    "suggest": {"input": [text], "contexts": {"visibility": [status]}},
                    "embedding": vector,
                },
            )
        call("POST", f"/{INDEX}/_refresh")
        call("POST", "/_aliases", {"actions": [{"add": {"index": INDEX, "alias": ALIAS}}]})
        aliases = call("GET", f"/_alias/{ALIAS}")
        check("aliases", list(aliases) == [INDEX], aliases)

        found = call(
            "POST",
            f"/{ALIAS}/_search",
            {
                "query": {"match": {"primary": "haemoglobin"}},
                "highlight": {"fields": {"primary": {}}},
                "aggs": {"status": {"terms": {"field": "status"}}},
            },
        )
        hits = found["hits"]["hits"]
        check("search through an alias", [hit["_id"] for hit in hits] == ["1"], found)
        check("highlighting", "<em>haemoglobin</em>" in hits[0].get("highlight", {}).get("primary", [""])[0], found)
        buckets = found["aggregations"]["status"]["buckets"]
        check("terms aggregation", buckets == [{"key": "published", "doc_count": 1}], buckets)

        suggested = call(
            "POST",
            f"/{ALIAS}/_search",
            {
                "suggest": {
                    "names": {
                        "prefix": "haem",
                        "completion": {"field": "suggest", "contexts": {"visibility": ["published"]}},
                    }
                }
            },
        )
        options = suggested["suggest"]["names"][0]["options"]
        check(
            "completion suggester with a context", [o["text"] for o in options] == ["haemoglobin at diagnosis"], options
        )

        nearest = call(
            "POST",
            f"/{ALIAS}/_search",
            {"knn": {"field": "embedding", "query_vector": [0.1, 0.9, 0.0], "k": 1, "num_candidates": 10}},
        )
        check("dense_vector kNN", [hit["_id"] for hit in nearest["hits"]["hits"]] == ["2"], nearest)
    finally:
        call("DELETE", f"/{INDEX}")


if __name__ == "__main__":
    main()
