"""Sizing input: bytes per document and raw bulk throughput on the load cluster (BENCHMARKS "Sizing").

    .venv/bin/python scripts/bench/load/index_figures.py [http://127.0.0.1:9290,...]

For each index of the load run (``harmony-load-{datasets,variables,texts}``, left by ``make bench-load``):
reads every document, bulks the same sources into a fresh index with the same mapping and settings (shards
and replica as the load run: replicas written as it goes), and prints documents/s of that raw bulk, primary
store bytes per document after a refresh, and the largest fields of ``_disk_usage``. Copies are deleted.
"""

from __future__ import annotations

import sys
import time

from elasticsearch import Elasticsearch, helpers

URLS = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:9290").split(",")
SOURCES = ("harmony-load-datasets", "harmony-load-variables", "harmony-load-texts")


def measure(client: Elasticsearch, source: str) -> None:
    physical = next(iter(client.indices.get_alias(name=source).body))
    info = client.indices.get(index=physical).body[physical]
    documents = [(hit["_id"], hit["_source"]) for hit in helpers.scan(client, index=source, size=1000)]
    copy = f"{physical}-sizing-copy"
    client.indices.delete(index=copy, ignore_unavailable=True)
    index_settings = {k: info["settings"]["index"][k] for k in ("number_of_shards", "number_of_replicas")}
    client.indices.create(
        index=copy,
        settings={**index_settings, "refresh_interval": "-1"},
        mappings=info["mappings"],
        wait_for_active_shards="all",
    )
    try:
        started = time.monotonic()
        helpers.bulk(client, ({"_index": copy, "_id": i, "_source": s} for i, s in documents), chunk_size=500)
        client.indices.refresh(index=copy)
        seconds = time.monotonic() - started
        stats = client.indices.stats(index=copy, metric="store,docs").body["_all"]["primaries"]
        usage = client.indices.disk_usage(index=copy, run_expensive_tasks=True).body[copy]
    finally:
        client.indices.delete(index=copy, ignore_unavailable=True)
    count = stats["docs"]["count"]
    print(
        f"{len(documents):,} variable documents bulked in {seconds:.1f} s: {len(documents) / seconds:,.0f} documents/s"
    )
    print(
        f"primary store: {stats['store']['size_in_bytes']:,} B = {stats['store']['size_in_bytes'] / count:,.0f} B/doc"
    )
    fields = sorted(usage["fields"].items(), key=lambda kv: -kv[1]["total_in_bytes"])[:5]
    for name, figures in fields:
        print(f"  {name}: {figures['total_in_bytes'] / count:,.0f} B/doc")


def main() -> None:
    client = Elasticsearch(URLS, request_timeout=120)
    for source in SOURCES:
        measure(client, source)


if __name__ == "__main__":
    main()
