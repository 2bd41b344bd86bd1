"""Search benchmark (``make bench``): indexing throughput and query latency, side by side on one Elasticsearch.

1. Full reindex (``search_reindex``'s service: stream from the database, render, bulk into new
   indices, swap the aliases) vs raw ``elasticsearch.helpers.bulk`` of the very same documents and
   texts entries (pre-rendered to an NDJSON file, untimed) into fresh indices with the same mappings;
   BENCH_INDEX_RUNS pairs, alternating which goes first, compared by their medians.
2. Search API latency (``GET /api/v1/search/{datasets,variables}/``, facets on, 20 hits, through
   Django's test client: routing, auth, validation, selectors, serialisation) vs the same request
   requests (lexical; with the embedding model installed, the kNN over the texts index and then the
   lexical and semantic ``_msearch`` lines built from its answer) sent straight to Elasticsearch with
   the Python client; the two alternate query by query, so load drift on a shared
   machine cannot enter their ratio.
3. The database backend on the same data: its rebuild time and the same API queries, each against its own
   SQL: the statements the request runs (captured after a warm-up, so once-per-process loads such as the
   facet labels and the semantic leg's text matrix are in neither side) sent straight to the driver, every
   row fetched. That includes the semantic leg's SQL (the count of embedded texts, the nearest texts'
   entries), not its cosine over the text matrix (numpy, in the API's time only) nor the query embedding
   (LRU-cached after the warm-up).

Runs with production settings (DEBUG=0, as the other benchmarks): with DEBUG on, Django logs and re-formats every
SQL statement, a cost of the API side alone.

Environment: BENCH_SCALE (default 100; seed_demo --scale, or the synthetic catalogue of
scripts/bench/synthetic.py when seed_demo is not available), BENCH_ROUNDS (query rounds, default 10),
BENCH_DB_ROUNDS (default 3), BENCH_INDEX_RUNS (interleaved reindex / raw bulk pairs, default 3),
BENCH_RESEED=1 (wipe and seed again), BENCH_PARTS (comma-separated
subset of "seed,es-index,es-queries,db-index,db-queries", default all). Results are printed and written to
scripts/bench/results/latest.{json,md}; a partial run merges into the previous results.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harmony.settings")
os.environ.setdefault("SEARCH_SYNC_ON_COMMIT", "0")
# One anonymous client sends every request: the API's rate limit for anonymous visitors would refuse it.
os.environ.setdefault("API_THROTTLE_ANON", "1000000/second")
# Production settings, as the other benchmarks use: with DEBUG on, Django logs every SQL statement and formats it
# with its parameters a second time (psycopg's mogrify), which the API side paid and the raw side did not. The
# requests arrive as through the TLS proxy of a deployment would (no redirect to HTTPS) for the test client's host.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-used-for-anything-else")
os.environ.setdefault("AUDIT_HMAC_KEY", "benchmark-only-audit-key-for-a-throwaway-database")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command, get_commands  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from elasticsearch import helpers  # noqa: E402

from catalogue.models import Dataset, Variable  # noqa: E402
from catalogue.search import embeddings  # noqa: E402
from catalogue.search.backends import reset_search_backends  # noqa: E402
from catalogue.search.backends.base import SearchRequest  # noqa: E402
from catalogue.search.backends.database import DatabaseSearchBackend  # noqa: E402
from catalogue.search.backends.elasticsearch import (  # noqa: E402
    ElasticsearchSearchBackend,
    es_document,
    remember_text,
    semantic_vector,
)
from catalogue.search.backends.es_knn import neighbours, neighbours_body, text_id, text_source  # noqa: E402
from catalogue.search.backends.es_mappings import INDEX_TYPES, MAPPINGS, TEXTS, index_settings  # noqa: E402
from catalogue.search.documents import iter_all_documents  # noqa: E402
from catalogue.search.facets import DATASET_FACETS, VARIABLE_FACETS  # noqa: E402
from catalogue.search.selectors import visibility_for  # noqa: E402
from catalogue.search.sync import rebuild_index  # noqa: E402

RESULTS = ROOT / "scripts" / "bench" / "results"
ALL_PARTS = {"seed", "es-index", "es-queries", "db-index", "db-queries"}
QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("datasets", {}),
    ("datasets", {"q": "aml"}),
    ("datasets", {"q": "myeloma registry"}),
    ("datasets", {"q": "munchen"}),
    ("datasets", {"q": "cohort", "disease": ["AML"], "country": ["DE", "FR"]}),
    ("datasets", {"data_type": ["wgs"], "sort": "patients"}),
    ("variables", {}),
    ("variables", {"q": "npm1"}),
    ("variables", {"q": "flt3 itd"}),
    ("variables", {"q": "date of diagnosis"}),
    ("variables", {"q": "ighv status"}),
    ("variables", {"q": "jak2 v617f", "sort": "patients"}),
    ("variables", {"q": "karyotype", "country": ["FR"]}),
    ("variables", {"q": "tp53", "disease": ["MDS"], "sort": "updated"}),
    ("variables", {"q": "blasts", "value_type": ["decimal"]}),
    ("variables", {"q": "iss stage", "duo_permission": ["HMB"]}),
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def summary(values_ms: list[float]) -> dict[str, float]:
    return {
        "n": len(values_ms),
        "p50_ms": round(statistics.median(values_ms), 1),
        "p95_ms": round(percentile(values_ms, 0.95), 1),
        "mean_ms": round(statistics.fmean(values_ms), 1),
    }


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def machine() -> dict[str, Any]:
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    total_kb = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            database = f"SQLite {connection.Database.sqlite_version}"
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(total_kb / 1024 / 1024, 1),
        "cpu": next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if "model name" in line
            ),
            platform.processor(),
        ),
        "python": platform.python_version(),
        "database": database,
    }


def ensure_catalogue(scale: int) -> dict[str, Any]:
    """Seed (replacing the catalogue of DATABASE_URL!) unless it holds about 10,000 variables per unit of scale."""
    too_small = Variable.objects.count() < 0.9 * 10_000 * scale
    if os.environ.get("BENCH_RESEED") == "1" or too_small:
        started = time.perf_counter()
        if "seed_demo" in get_commands():
            log(f"seed_demo --scale {scale} --reset")
            call_command("seed_demo", scale=scale, reset=True)
            source = f"seed_demo --scale {scale}"
        else:
            from synthetic import seed_synthetic  # scripts/bench/, next to this script

            log(f"seed_demo is not available: synthetic catalogue at scale {scale}")
            call_command("flush", interactive=False, verbosity=0)
            seed_synthetic(scale=scale)
            source = f"scripts/bench/synthetic.py at scale {scale}"
        log(f"seeded in {time.perf_counter() - started:.0f}s")
    else:
        source = "existing catalogue (set BENCH_RESEED=1 to seed again)"
    return {"source": source, "datasets": Dataset.objects.count(), "variables": Variable.objects.count()}


def render_dump(dump: Path) -> int:
    """Write every action a rebuild sends (documents, then one texts entry per distinct text) to ``dump``,
    untimed; embeds the texts no cache holds, so the timed runs all find a warm cache. Returns the count."""
    texts: dict[tuple[str, str], str] = {}
    count = 0
    with dump.open("w") as out:
        for doc_type, document in iter_all_documents(dataset_chunk_size=200):
            remember_text(texts, doc_type, document)
            out.write(json.dumps([doc_type, document["id"], es_document(document)], default=str) + "\n")
            count += 1
        vectors = embeddings.passage_vectors(texts.values())
        for kind, key in texts:
            if key in vectors:
                out.write(json.dumps([TEXTS, text_id(kind, key), text_source(kind, key, vectors[key])]) + "\n")
                count += 1
    return count


def time_reindex(backend: ElasticsearchSearchBackend) -> tuple[float, int]:
    started = time.perf_counter()
    report = rebuild_index(backend=backend, chunk_size=200)
    return time.perf_counter() - started, sum(report.indexed.values())


def time_raw_bulk(backend: ElasticsearchSearchBackend, dump: Path) -> tuple[float, int]:
    """Raw ``helpers.bulk`` of the dumped actions into fresh indices with the same mappings and settings."""
    raw = {doc_type: f"{backend.index_prefix}-raw-{doc_type}" for doc_type in INDEX_TYPES}
    for doc_type, name in raw.items():
        backend.client.indices.delete(index=name, ignore_unavailable=True)
        backend.client.indices.create(
            index=name, settings=index_settings(replicas=0, building=True), mappings=MAPPINGS[doc_type]
        )

    def raw_actions():
        with dump.open() as lines:
            for line in lines:
                doc_type, pk, source = json.loads(line)
                yield {"_index": raw[doc_type], "_id": pk, "_source": source}

    started = time.perf_counter()
    indexed, errors = helpers.bulk(backend.client, raw_actions(), chunk_size=backend.bulk_chunk_size, stats_only=True)
    for name in raw.values():
        backend.client.indices.put_settings(index=name, settings={"refresh_interval": None})
        backend.client.indices.refresh(index=name)
    seconds = time.perf_counter() - started
    for name in raw.values():
        backend.client.indices.delete(index=name)
    assert not errors, f"{errors} raw bulk errors"
    return seconds, indexed


def bench_indexing(backend: ElasticsearchSearchBackend, runs: int) -> dict[str, Any]:
    """``runs`` full reindexes and as many raw bulks of the same actions, alternating (reindex first in even
    runs, raw first in odd ones); the ratio is of the medians."""
    backend.prepare()
    dump = Path(settings.VAR_DIR) / "bench-documents.ndjson"
    dump.parent.mkdir(parents=True, exist_ok=True)
    log(f"rendering every document and text entry to {dump} (untimed)")
    embeddings.stats.embedded = 0
    started = time.perf_counter()
    actions = render_dump(dump)
    elapsed = time.perf_counter() - started
    log(f"{actions} actions rendered in {elapsed:.0f}s ({embeddings.stats.embedded} texts embedded)")
    reindex: list[float] = []
    raw: list[float] = []
    documents = 0
    for run in range(runs):
        for side in ("reindex", "raw") if run % 2 == 0 else ("raw", "reindex"):
            if side == "reindex":
                seconds, documents = time_reindex(backend)
                reindex.append(seconds)
            else:
                seconds, indexed = time_raw_bulk(backend, dump)
                assert indexed == actions
                raw.append(seconds)
            log(f"run {run + 1} {side}: {seconds:.1f}s")
    dump.unlink()
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    reindex_seconds, raw_seconds = statistics.median(reindex), statistics.median(raw)
    texts = actions - documents
    return {
        "documents": documents,
        "texts": texts,
        "runs": runs,
        "reindex_seconds": round(reindex_seconds, 1),
        "reindex_runs_s": [round(value, 1) for value in reindex],
        "reindex_docs_per_s": round(actions / reindex_seconds),
        "raw_bulk_seconds": round(raw_seconds, 1),
        "raw_bulk_runs_s": [round(value, 1) for value in raw],
        "raw_bulk_docs_per_s": round(actions / raw_seconds),
        "reindex_vs_raw": round(raw_seconds / reindex_seconds, 2),
        "reindex_peak_rss_mb": round(peak_rss_mb),
    }


def api_url(kind: str) -> str:
    return f"/api/v1/search/{kind}/"


def _time_api(client: Client, kind: str, params: dict[str, Any]) -> float:
    """One API request, in milliseconds."""
    started = time.perf_counter()
    response = client.get(api_url(kind), {**params, "page_size": 20})
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.content[:500]
    return elapsed


def bench_api(rounds: int) -> dict[str, list[float]]:
    client = Client()
    timings: dict[str, list[float]] = {"datasets": [], "variables": []}
    for kind, params in QUERIES:  # warm-up
        _time_api(client, kind, params)
    for _ in range(rounds):
        for kind, params in QUERIES:
            timings[kind].append(_time_api(client, kind, params))
    return timings


@dataclass
class RawQuery:
    """What the API sends for one query: the lexical ``_msearch`` lines, or, with a query vector, the texts
    kNN request and then the lines built from its answer (:mod:`catalogue.search.backends.es_knn`)."""

    kind: str
    lines: list[dict[str, Any]]
    request: SearchRequest | None = None
    facets: tuple[str, ...] = ()
    vector: list[float] | None = None


def raw_queries(backend: ElasticsearchSearchBackend) -> list[RawQuery]:
    """Each query as the backend builds it for the API; the query embedding is computed here, untimed (it is
    the API's cost, not Elasticsearch's, and an LRU cache makes it nearly free in the API after the warm-up)."""
    visibility = visibility_for(None)
    queries = []
    for kind, params in QUERIES:
        filters = {k: v for k, v in params.items() if k not in ("q", "sort")}
        request = SearchRequest(
            visibility=visibility, text=params.get("q", ""), filters=filters, sort=params.get("sort", "relevance")
        )
        facets = VARIABLE_FACETS if kind == "variables" else DATASET_FACETS
        vector, _ = semantic_vector(request)
        if vector is None:
            lines = [{"index": backend.alias(kind)}, backend.search_body(request, facets, kind)]
            queries.append(RawQuery(kind, lines))
        else:
            queries.append(RawQuery(kind, [], request=request, facets=facets, vector=vector.tolist()))
    return queries


def _time_raw(backend: ElasticsearchSearchBackend, query: RawQuery) -> float:
    started = time.perf_counter()
    if query.vector is None:
        backend.client.msearch(searches=query.lines)
    else:
        assert query.request is not None
        response = backend.client.search(
            index=backend.alias(TEXTS), ignore_unavailable=True, **neighbours_body(query.kind, query.vector)
        )
        nearest = neighbours(response)
        backend.client.msearch(searches=backend.search_requests(query.request, query.facets, query.kind, nearest))
    return (time.perf_counter() - started) * 1000


def bench_interleaved(
    backend: ElasticsearchSearchBackend, rounds: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """API and raw timings of every query, measured in alternation: for each query the API request and
    the same body sent straight to Elasticsearch run back to back (API first in even rounds, raw first
    in odd ones), so a change of load on the shared machine lands on both sides of the ratio alike."""
    client = Client()
    bodies = raw_queries(backend)
    api: dict[str, list[float]] = {"datasets": [], "variables": []}
    raw: dict[str, list[float]] = {"datasets": [], "variables": []}
    for (kind, params), searches in zip(QUERIES, bodies, strict=True):  # warm-up
        _time_api(client, kind, params)
        _time_raw(backend, searches)
    for round_number in range(rounds):
        for (kind, params), searches in zip(QUERIES, bodies, strict=True):
            if round_number % 2 == 0:
                api[kind].append(_time_api(client, kind, params))
                raw[kind].append(_time_raw(backend, searches))
            else:
                raw[kind].append(_time_raw(backend, searches))
                api[kind].append(_time_api(client, kind, params))
    return api, raw


def main() -> None:
    scale = int(os.environ.get("BENCH_SCALE", "100"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "10"))
    db_rounds = int(os.environ.get("BENCH_DB_ROUNDS", "3"))
    prefix = f"{settings.ELASTICSEARCH_INDEX_PREFIX}-bench".lower()
    parts = set(os.environ.get("BENCH_PARTS", ",".join(ALL_PARTS)).split(","))
    previous = RESULTS / "latest.json"
    results: dict[str, Any] = json.loads(previous.read_text()) if parts != ALL_PARTS and previous.exists() else {}
    results.update(started=time.strftime("%Y-%m-%d %H:%M:%S %Z"), scale=scale)
    call_command("migrate", verbosity=0)
    results["machine"] = machine()
    if "seed" in parts:
        results["catalogue"] = ensure_catalogue(scale)
    results["catalogue"] = {
        **results.get("catalogue", {}),
        "datasets": Dataset.objects.count(),
        "variables": Variable.objects.count(),
    }
    log(f"catalogue: {results['catalogue']}")

    backend = ElasticsearchSearchBackend(index_prefix=prefix)
    results["machine"]["elasticsearch"] = backend.client.info()["version"]["number"]
    if "es-index" in parts:
        results["indexing"] = bench_indexing(backend, runs=int(os.environ.get("BENCH_INDEX_RUNS", "3")))
        log(f"indexing: {results['indexing']}")
        save(results)
    if "es-queries" in parts:
        run_elasticsearch_queries(results, backend, rounds=rounds, prefix=prefix)
        log(f"queries: {results['queries']}")
        save(results)
    if "db-index" in parts:
        log(f"database backend: rebuild on {connection.vendor}")
        started = time.perf_counter()
        counts = rebuild_index(backend=DatabaseSearchBackend(), chunk_size=200).indexed
        seconds = time.perf_counter() - started
        results.setdefault("database_backend", {}).update(
            rebuild_seconds=round(seconds, 1), rebuild_database=connection.vendor, documents=sum(counts.values())
        )
        log(f"database backend: rebuilt {sum(counts.values())} documents in {seconds:.1f} s")
        save(results)
    if "db-queries" in parts:
        run_database_queries(results, rounds=db_rounds)
    save(results)
    if "indexing" in results and "queries" in results:
        print(markdown(results))


def save(results: dict[str, Any]) -> None:
    """Write what has been measured so far (a long run that is interrupted keeps its finished parts)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    if "indexing" in results and "queries" in results:
        (RESULTS / "latest.md").write_text(markdown(results))


def run_elasticsearch_queries(
    results: dict[str, Any], backend: ElasticsearchSearchBackend, *, rounds: int, prefix: str
) -> None:
    with override_settings(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_INDEX_PREFIX=prefix):
        reset_search_backends()
        log(f"API (Elasticsearch backend) and the same bodies straight to Elasticsearch, interleaved: {rounds} rounds")
        api, raw = bench_interleaved(backend, rounds)
    reset_search_backends()
    results["queries"] = {
        "elasticsearch_api": {kind: summary(values) for kind, values in api.items()},
        "elasticsearch_raw": {kind: summary(values) for kind, values in raw.items()},
    }
    all_api, all_raw = api["datasets"] + api["variables"], raw["datasets"] + raw["variables"]
    results["queries"]["elasticsearch_api"]["all"] = summary(all_api)
    results["queries"]["elasticsearch_raw"]["all"] = summary(all_raw)
    results["queries"]["api_p95_over_raw_p95"] = round(percentile(all_api, 0.95) / percentile(all_raw, 0.95), 2)


class StatementLog:
    """A ``connection.execute_wrapper`` keeping every statement (SQL, parameters, many) a request runs."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, Any, bool]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        self.statements.append((sql, params, many))
        return execute(sql, params, many, context)


def request_statements(client: Client, kind: str, params: dict[str, Any]) -> list[tuple[str, Any, bool]]:
    """The SQL statements one API request runs, in order (captured once, untimed)."""
    log_ = StatementLog()
    with connection.execute_wrapper(log_):
        _time_api(client, kind, params)
    return log_.statements


def _time_raw_sql(statements: list[tuple[str, Any, bool]]) -> float:
    """The request's own statements sent straight to the database driver, every row fetched, in milliseconds."""
    started = time.perf_counter()
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the driver's cursor: no Django wrapper, no ORM
        for sql, params, many in statements:
            if many:
                cursor.executemany(sql, params)
            else:
                cursor.execute(sql, params)
            if cursor.description is not None:
                cursor.fetchall()
    return (time.perf_counter() - started) * 1000


def run_database_queries(results: dict[str, Any], *, rounds: int) -> None:
    """API (database backend) and the very SQL each request runs, sent raw, interleaved query by query
    (API first in even rounds, raw first in odd ones), as for Elasticsearch."""
    with override_settings(SEARCH_BACKEND="database"):
        reset_search_backends()
        log(f"API (database backend) and its own SQL raw, interleaved: {rounds} rounds")
        client = Client()
        # Warm-up first, so that what every API request loads once per process (facet labels, the semantic
        # leg's text matrix) is not captured into one query's raw statements and timed on the raw side only.
        for kind, params in QUERIES:
            _time_api(client, kind, params)
        statements = [request_statements(client, kind, params) for kind, params in QUERIES]
        api: dict[str, list[float]] = {}
        raw: dict[str, list[float]] = {}
        for round_number in range(rounds):
            for (kind, params), sql in zip(QUERIES, statements, strict=True):
                label = f"{kind} {json.dumps(params, sort_keys=True)}"
                if round_number % 2 == 0:
                    api.setdefault(label, []).append(_time_api(client, kind, params))
                    raw.setdefault(label, []).append(_time_raw_sql(sql))
                else:
                    raw.setdefault(label, []).append(_time_raw_sql(sql))
                    api.setdefault(label, []).append(_time_api(client, kind, params))
    reset_search_backends()
    per_query = {
        label: {
            "api": summary(api[label]),
            "raw_sql": summary(raw[label]),
            "statements": len(sql),
            "api_p50_over_raw_p50": round(statistics.median(api[label]) / statistics.median(raw[label]), 2),
        }
        for label, sql in zip(api, statements, strict=True)
    }
    database = results.setdefault("database_backend", {})
    database["database"] = connection.vendor
    database["queries"] = per_query
    for kind in ("datasets", "variables"):
        kind_api = [t for label, values in api.items() if label.startswith(kind + " ") for t in values]
        kind_raw = [t for label, values in raw.items() if label.startswith(kind + " ") for t in values]
        database.setdefault("api", {})[kind] = summary(kind_api)
        database.setdefault("raw_sql", {})[kind] = summary(kind_raw)
    database["api"]["all"] = summary([t for values in api.values() for t in values])
    database["raw_sql"]["all"] = summary([t for values in raw.values() for t in values])
    database["worst_api_p50_over_raw_p50"] = max(q["api_p50_over_raw_p50"] for q in per_query.values())
    for label, figures in per_query.items():
        log(
            f"  {label}: API p50 {figures['api']['p50_ms']} ms, raw SQL p50 {figures['raw_sql']['p50_ms']} ms "
            f"({figures['statements']} statements) = {figures['api_p50_over_raw_p50']}x"
        )
    log(f"database backend: worst API/raw SQL (p50) {database['worst_api_p50_over_raw_p50']}x")


def markdown(results: dict[str, Any]) -> str:
    machine_, catalogue, indexing, queries = (
        results["machine"],
        results["catalogue"],
        results["indexing"],
        results["queries"],
    )
    lines = [
        f"Run {results['started']}: {catalogue['datasets']} datasets, {catalogue['variables']} variables "
        f"({catalogue['source']}).",
        f"Machine: {machine_['nproc']} CPUs ({machine_['cpu']}), {machine_['memory_gb']} GB RAM, "
        f"{machine_['database']}, Elasticsearch {machine_['elasticsearch']}, Python {machine_['python']}.",
        "",
        "| Indexing | documents | seconds | documents/s |",
        "|---|---:|---:|---:|",
        f"| search_reindex (rebuild_index) | {indexing['documents']} | {indexing['reindex_seconds']} | "
        f"{indexing['reindex_docs_per_s']} |",
        f"| raw helpers.bulk, same documents | {indexing['documents']} | {indexing['raw_bulk_seconds']} | "
        f"{indexing['raw_bulk_docs_per_s']} |",
        "",
        f"Reindex throughput = **{indexing['reindex_vs_raw']:.0%}** of raw bulk (target ≥ 90 %; medians of "
        f"{indexing.get('runs', 1)} interleaved runs; documents plus {indexing.get('texts', 0)} texts entries)"
        + (f"; peak RSS {indexing['reindex_peak_rss_mb']} MB." if "reindex_peak_rss_mb" in indexing else "."),
        "",
        "| Query latency (facets on, 20 hits) | n | p50 ms | p95 ms |",
        "|---|---:|---:|---:|",
    ]
    rows = [
        ("API, Elasticsearch backend", queries["elasticsearch_api"]),
        ("raw Elasticsearch", queries["elasticsearch_raw"]),
    ]
    if "raw_sql" in results.get("database_backend", {}):
        rows.append(("API, database backend", results["database_backend"]["api"]))
        rows.append(("its own SQL raw, database backend", results["database_backend"]["raw_sql"]))
    for label, group in rows:
        for kind in ("datasets", "variables", "all"):
            lines.append(
                f"| {label}: {kind} | {group[kind]['n']} | {group[kind]['p50_ms']} | {group[kind]['p95_ms']} |"
            )
    lines += ["", f"API p95 / raw p95 = **{queries['api_p95_over_raw_p95']}x** (target <= 1.3x)."]
    if "rebuild_seconds" in results.get("database_backend", {}):
        lines.append(f"Database backend rebuild: {results['database_backend']['rebuild_seconds']} s.")
    if "worst_api_p50_over_raw_p50" in results.get("database_backend", {}):
        lines.append(
            "Database backend, worst query API p50 / its raw SQL p50 = "
            f"**{results['database_backend']['worst_api_p50_over_raw_p50']}x** (target <= 1.3x)."
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
