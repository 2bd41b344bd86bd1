"""Relevance benchmark (``make bench-relevance``): judged researcher queries against every search backend.

For each backend (the database backend on SQLite, the database backend on PostgreSQL, Elasticsearch) a
worker process seeds the demo catalogue (``seed_demo``) into a throwaway database, builds the search index
(``search_reindex``'s service), resolves the judgments of ``queries-dev.toml`` and ``heldout.toml`` against
that catalogue, and sends every query to the real search API (``GET /api/v1/search/variables/`` and
``/datasets/``, anonymous, 10 hits) through Django's test client. This process then scores the rankings:
hit@10 (a relevant item — grade ≥ 1 — in the first 10), MRR (reciprocal rank of the first relevant item)
and nDCG@10 (graded gain 2^grade - 1, ideal ranking from all judged items), for variable and dataset
search, dev and held-out apart, per language, with the non-English queries together.

Environment: ``DATABASE_URL`` (a PostgreSQL server URL: a database ``harmony_relevance_<pid>`` is created
on it and dropped afterwards), ``ELASTICSEARCH_URL``, ``RELEVANCE_BACKENDS`` (comma-separated subset of
``sqlite,postgres,elasticsearch``; default all). Unattended: it reads no input. Results are printed and
written to ``scripts/bench/results/relevance-latest.json`` (with the dev queries' rankings and scores; the
held-out queries only in aggregate).
"""

from __future__ import annotations

import fnmatch
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
RESULTS = ROOT / "scripts" / "bench" / "results"
QUERY_FILES = {"dev": HERE / "queries-dev.toml", "heldout": HERE / "heldout.toml"}
BACKENDS = ("sqlite", "postgres", "elasticsearch")
CUTOFF = 10
KINDS = ("variables", "datasets")


def log(message: str) -> None:
    print(f"[relevance {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---- queries and judgments (pure) ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    id: str
    split: str
    text: str
    language: str
    kinds: tuple[str, ...]
    variable_rules: tuple[dict[str, Any], ...]
    dataset_rules: tuple[dict[str, Any], ...]


def selected_splits() -> tuple[str, ...]:
    """The query files to run: both, or only the dev queries with ``RELEVANCE_SPLITS=dev`` (for tuning
    without ever seeing a held-out figure)."""
    splits = tuple(s for s in os.environ.get("RELEVANCE_SPLITS", ",".join(QUERY_FILES)).split(",") if s)
    unknown = sorted(set(splits) - set(QUERY_FILES))
    if unknown or not splits:
        raise SystemExit(f"Unknown query split(s) {', '.join(unknown)}; use {', '.join(QUERY_FILES)}.")
    return splits


def load_queries(splits: tuple[str, ...] = tuple(QUERY_FILES)) -> list[Query]:
    """Every query of the ``splits``' files; ids must be unique and every query must judge something."""
    queries: list[Query] = []
    for split, path in QUERY_FILES.items():
        if split not in splits:
            continue
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        for entry in data["query"]:
            queries.append(
                Query(
                    id=entry["id"],
                    split=split,
                    text=entry["text"],
                    language=entry["language"],
                    kinds=tuple(entry["kinds"]),
                    variable_rules=tuple(entry.get("variables", ())),
                    dataset_rules=tuple(entry.get("datasets", ())),
                )
            )
    ids = [query.id for query in queries]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SystemExit(f"Duplicate query ids: {', '.join(duplicates)}")
    return queries


@dataclass
class CatalogueFacts:
    """What the judgment rules look at: published datasets (slug → disease codes and families, data types)
    and their variables (``slug/name``)."""

    diseases: dict[str, set[str]] = field(default_factory=dict)
    data_types: dict[str, set[str]] = field(default_factory=dict)
    variables: dict[str, list[str]] = field(default_factory=dict)  # slug → variable names


def _variable_rule_matches(rule: dict[str, Any], slug: str, name: str, facts: CatalogueFacts) -> bool:
    if f"{slug}/{name}" in rule.get("keys", ()):
        return True
    names = rule.get("names")
    if not names or not any(fnmatch.fnmatchcase(name, pattern) for pattern in names):
        return False
    diseases = rule.get("diseases")
    return not diseases or bool(facts.diseases[slug] & set(diseases))


def judge_variables(query: Query, facts: CatalogueFacts) -> dict[str, int]:
    """``slug/name`` → grade (the highest grade of any rule that matches it)."""
    grades: dict[str, int] = {}
    for slug, names in facts.variables.items():
        for name in names:
            for rule in query.variable_rules:
                if _variable_rule_matches(rule, slug, name, facts):
                    key = f"{slug}/{name}"
                    grades[key] = max(grades.get(key, 0), int(rule["grade"]))
    return grades


def _dataset_rule_matches(
    rule: dict[str, Any], slug: str, facts: CatalogueFacts, variable_grades: dict[str, int]
) -> bool:
    if slug in rule.get("keys", ()):
        return True
    conditions = [name for name in ("diseases", "has", "data_types", "holding") if name in rule]
    if not conditions:
        return False
    if "diseases" in rule and not facts.diseases[slug] & set(rule["diseases"]):
        return False
    if "data_types" in rule and not facts.data_types[slug] & set(rule["data_types"]):
        return False
    names = facts.variables.get(slug, [])
    for pattern in rule.get("has", ()):
        if not any(fnmatch.fnmatchcase(name, pattern) for name in names):
            return False
    if "holding" in rule:
        least = int(rule["holding"])
        if not any(variable_grades.get(f"{slug}/{name}", 0) >= least for name in names):
            return False
    return True


def judge_datasets(query: Query, facts: CatalogueFacts, variable_grades: dict[str, int]) -> dict[str, int]:
    grades: dict[str, int] = {}
    for slug in facts.diseases:
        for rule in query.dataset_rules:
            if _dataset_rule_matches(rule, slug, facts, variable_grades):
                grades[slug] = max(grades.get(slug, 0), int(rule["grade"]))
    return grades


# ---- metrics (pure) -----------------------------------------------------------------------------------------


def hit_at(ranking: list[str], grades: dict[str, int], cutoff: int = CUTOFF) -> float:
    return 1.0 if any(grades.get(key, 0) > 0 for key in ranking[:cutoff]) else 0.0


def reciprocal_rank(ranking: list[str], grades: dict[str, int]) -> float:
    for position, key in enumerate(ranking, start=1):
        if grades.get(key, 0) > 0:
            return 1.0 / position
    return 0.0


def ndcg_at(ranking: list[str], grades: dict[str, int], cutoff: int = CUTOFF) -> float:
    def dcg(gains: list[int]) -> float:
        return sum((2**gain - 1) / math.log2(position + 1) for position, gain in enumerate(gains, start=1))

    ideal = dcg(sorted(grades.values(), reverse=True)[:cutoff])
    return dcg([grades.get(key, 0) for key in ranking[:cutoff]]) / ideal if ideal else 0.0


def score(rankings: dict[str, dict[str, list[str]]], judgments: dict[str, dict[str, dict[str, int]]]) -> dict:
    """Per query and kind: hit@10, RR, nDCG@10 (queries without judgments for a kind are left out of it)."""
    scores: dict[str, dict[str, dict[str, float]]] = {}
    for query_id, by_kind in rankings.items():
        for kind in KINDS:
            grades = judgments[query_id][kind]
            if not grades:
                continue
            ranking = by_kind[kind]
            scores.setdefault(query_id, {})[kind] = {
                "hit@10": hit_at(ranking, grades),
                "mrr": reciprocal_rank(ranking, grades),
                "ndcg@10": ndcg_at(ranking, grades),
            }
    return scores


def aggregate(queries: list[Query], scores: dict) -> dict[str, dict[str, dict[str, Any]]]:
    """split → group (all, non-English, each language) → kind → mean metrics and query count."""
    summary: dict[str, dict[str, dict[str, Any]]] = {}
    for split in ("dev", "heldout", "all"):
        in_split = [q for q in queries if split in ("all", q.split)]
        groups = {"all": in_split, "non-en": [q for q in in_split if q.language != "en"]}
        for language in sorted({q.language for q in in_split}):
            groups[language] = [q for q in in_split if q.language == language]
        for group, members in groups.items():
            for kind in KINDS:
                rows = [scores[q.id][kind] for q in members if kind in scores.get(q.id, {})]
                if rows:
                    summary.setdefault(split, {}).setdefault(group, {})[kind] = {
                        "n": len(rows),
                        **{metric: round(sum(r[metric] for r in rows) / len(rows), 3) for metric in rows[0]},
                    }
    return summary


def failures(queries: list[Query], scores: dict) -> list[str]:
    return sorted(
        f"{q.id}:{kind}" for q in queries for kind in KINDS if scores.get(q.id, {}).get(kind, {}).get("hit@10") == 0.0
    )


# ---- worker: one backend, in its own process ----------------------------------------------------------------


def worker(backend: str, out_path: str) -> None:
    """Seed, index, judge and query on the backend configured by this process's environment."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harmony.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from catalogue.demo.seed import seed_catalogue
    from catalogue.demo.variables import disease_family
    from catalogue.models import Dataset, DatasetStatus, Variable
    from catalogue.search.backends import get_search_backend
    from catalogue.search.sync import rebuild_index

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    seed_catalogue(scale=1, stdout=open(os.devnull, "w"))  # noqa: SIM115 — lives as long as the process
    seeded = time.perf_counter()
    rebuild_index(backend=get_search_backend())
    indexed = time.perf_counter()

    facts = CatalogueFacts()
    published = Dataset.objects.filter(status=DatasetStatus.PUBLISHED).prefetch_related("disease_areas", "data_types")
    for dataset in published:
        codes = {area.code for area in dataset.disease_areas.all()}
        facts.diseases[dataset.slug] = codes | {disease_family(code) for code in codes}
        facts.data_types[dataset.slug] = {data_type.code for data_type in dataset.data_types.all()}
        facts.variables[dataset.slug] = []
    for slug, name in Variable.objects.filter(dataset__status=DatasetStatus.PUBLISHED).values_list(
        "dataset__slug", "name"
    ):
        facts.variables[slug].append(name)

    queries = load_queries(selected_splits())
    judgments: dict[str, dict[str, dict[str, int]]] = {}
    rankings: dict[str, dict[str, list[str]]] = {}
    client = Client()
    timings: list[float] = []
    for query in queries:
        variable_grades = judge_variables(query, facts)
        judgments[query.id] = {
            "variables": variable_grades,
            "datasets": judge_datasets(query, facts, variable_grades),
        }
        rankings[query.id] = {}
        for kind in KINDS:
            began = time.perf_counter()
            response = client.get(f"/api/v1/search/{kind}/", {"q": query.text, "page_size": CUTOFF, "facets": "false"})
            timings.append(time.perf_counter() - began)
            if response.status_code != 200:
                raise SystemExit(
                    f"{backend}: query {query.id} {kind} answered {response.status_code}: {response.content[:300]!r}"
                )
            hits = response.json()["results"]
            if kind == "variables":
                rankings[query.id][kind] = [f"{hit['dataset']['slug']}/{hit['name']}" for hit in hits]
            else:
                rankings[query.id][kind] = [hit["slug"] for hit in hits]
    result = {
        "backend": backend,
        "catalogue": {"datasets": published.count(), "variables": sum(len(v) for v in facts.variables.values())},
        "seconds": {
            "seed": round(seeded - started, 1),
            "index": round(indexed - seeded, 1),
            "queries": round(sum(timings), 1),
        },
        "judgments": judgments,
        "rankings": rankings,
    }
    Path(out_path).write_text(json.dumps(result))


# ---- orchestration --------------------------------------------------------------------------------------------


def _postgres_database(server_url: str, name: str, *, drop: bool) -> str:
    """Create (or drop) database ``name`` on the server of ``server_url``; returns the new database's URL."""
    import psycopg

    parts = urlsplit(server_url)
    with psycopg.connect(urlunsplit(parts._replace(scheme="postgresql")), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop:
            connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def run_backend(backend: str, workdir: Path) -> dict[str, Any]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "harmony.settings",
        "SEARCH_SYNC_ON_COMMIT": "0",
        # One anonymous client sends every query: the API's rate limit for anonymous visitors would refuse it.
        "API_THROTTLE_ANON": "1000000/second",
        "HARMONY_VAR_DIR": str(workdir / backend),
        "PRIVATE_MEDIA_ROOT": str(workdir / backend / "private"),
    }
    pg_name = f"harmony_relevance_{os.getpid()}"
    server_url = os.environ.get("DATABASE_URL", "")
    if backend == "postgres":
        if not server_url.startswith(("postgres://", "postgresql://")):
            raise SystemExit("Set DATABASE_URL to a PostgreSQL server URL (make bench-relevance does).")
        env["DATABASE_URL"] = _postgres_database(server_url, pg_name, drop=False)
    else:
        env["DATABASE_URL"] = f"sqlite:///{workdir / backend / 'catalogue.sqlite3'}"
    env["SEARCH_BACKEND"] = "elasticsearch" if backend == "elasticsearch" else "database"
    env["ELASTICSEARCH_INDEX_PREFIX"] = f"relevance-{os.getpid()}"
    (workdir / backend).mkdir(parents=True, exist_ok=True)
    out = workdir / f"{backend}.json"
    log(f"{backend}: seed, index, {len(load_queries(selected_splits()))} queries, 2 searches each")
    try:
        subprocess.run(
            [sys.executable, __file__, "--worker", backend, str(out)], env=env, check=True, stdin=subprocess.DEVNULL
        )
    finally:
        if backend == "postgres":
            _postgres_database(server_url, pg_name, drop=True)
        if backend == "elasticsearch":
            _drop_indices(env)
    return json.loads(out.read_text())


def _drop_indices(env: dict[str, str]) -> None:
    """Remove the worker's Elasticsearch indices (they are named after this process)."""
    subprocess.run(
        [sys.executable, "-c", _DROP_INDICES],
        env={**env, "PYTHONPATH": str(ROOT)},
        check=False,
        stdin=subprocess.DEVNULL,
    )


_DROP_INDICES = (
    "import django; django.setup(); "
    "from catalogue.search.backends import get_search_backend; get_search_backend('elasticsearch').drop_indices()"
)


def table(summary: dict[str, dict[str, dict[str, Any]]], split: str) -> list[str]:
    lines = [
        "| group | n | variables hit@10 | MRR | nDCG@10 | datasets hit@10 | MRR | nDCG@10 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    groups = summary.get(split, {})
    order = ["all", "non-en", *sorted(g for g in groups if g not in ("all", "non-en"))]
    for group in order:
        if group not in groups:
            continue
        row = groups[group]
        v, d = row.get("variables", {}), row.get("datasets", {})
        n = max(v.get("n", 0), d.get("n", 0))
        cells = [f"{m.get(k, float('nan')):.3f}" for m in (v, d) for k in ("hit@10", "mrr", "ndcg@10")]
        lines.append(f"| {group} | {n} | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3])
        return
    splits = selected_splits()
    queries = load_queries(splits)
    backends = [b for b in os.environ.get("RELEVANCE_BACKENDS", ",".join(BACKENDS)).split(",") if b]
    unknown = sorted(set(backends) - set(BACKENDS))
    if unknown:
        raise SystemExit(f"Unknown backend(s) {', '.join(unknown)}; use {', '.join(BACKENDS)}.")
    non_english = [q for q in queries if q.language != "en"]
    log(
        f"{len(queries)} queries ({len(non_english)} not in English), "
        f"{sum(q.split == 'heldout' for q in queries)} held out"
    )
    results: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "command": "make bench-relevance",
        "queries": len(queries),
        "non_english": len(non_english),
        "heldout": sum(q.split == "heldout" for q in queries),
        "backends": {},
    }
    report: list[str] = []
    with tempfile.TemporaryDirectory(prefix="harmony-relevance-") as tmp:
        for backend in backends:
            raw = run_backend(backend, Path(tmp))
            scores = score(raw["rankings"], raw["judgments"])
            summary = aggregate(queries, scores)
            dev = {q.id for q in queries if q.split == "dev"}
            # Held-out queries are reported only in aggregate, so that the tuners never see them one by one.
            results["backends"][backend] = {
                "catalogue": raw["catalogue"],
                "seconds": raw["seconds"],
                "summary": summary,
                "failed_dev": failures([q for q in queries if q.id in dev], scores),
                "failed_heldout_count": len(failures([q for q in queries if q.id not in dev], scores)),
                "per_query_dev": {query_id: s for query_id, s in scores.items() if query_id in dev},
                "rankings_dev": {query_id: r for query_id, r in raw["rankings"].items() if query_id in dev},
            }
            for split in splits:
                report += ["", f"### {backend} — {split}", "", *table(summary, split)]
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "relevance-latest.json" if set(splits) == set(QUERY_FILES) else f"relevance-{'-'.join(splits)}.json"
    (RESULTS / name).write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    print("\n".join(report))
    for backend, data in results["backends"].items():
        print(
            f"\n{backend}: no relevant hit in the first 10 for {len(data['failed_dev'])} dev searches "
            f"({', '.join(data['failed_dev'])}) and {data['failed_heldout_count']} held-out searches"
        )


if __name__ == "__main__":
    main()
