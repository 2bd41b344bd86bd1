"""``make bench-load``: the production server under simulated users, on PostgreSQL and an Elasticsearch cluster.

1. An ``LOAD_ES_NODES``-node cluster on loopback from ``LOAD_ES_PORT`` (scripts/elasticsearch.sh).
2. ``LOAD_DATABASE_URL`` (created when missing, then migrated and seeded with ``seed_demo --scale
   LOAD_SEED_SCALE``), the accounts and review work of ``prepare.py``, and a full reindex into the cluster
   (``LOAD_ES_SHARDS`` shards, one replica; ``LOAD_REINDEX=0`` keeps the indices of a previous run).
3. ``make serve`` (gunicorn, DEBUG=0) on 127.0.0.1:``LOAD_PORT``; locust headless with ``LOAD_USERS`` users
   for ``LOAD_DURATION`` (locust's own format: 10m, 90s), spawned at ``LOAD_SPAWN_RATE`` per second.
4. While locust runs, the CPU and memory of the web server (gunicorn master and workers) and of the
   Elasticsearch nodes are sampled every 2 s with psutil.

Prints, and writes to scripts/bench/results/load.md (+ locust's CSVs under results/load_*): requests,
failures, p50/p95/p99 per endpoint kind, and the processes' CPU (in cores) and memory (RSS). Secrets,
tokens and the server log go to var/bench-load/ (ignored by git).
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psutil
import psycopg

ROOT = Path(__file__).resolve().parents[3]
RESULTS = ROOT / "scripts" / "bench" / "results"
# Secrets, tokens and the server log of the load database: never committed (var/ is ignored).
STATE = ROOT / "var" / "bench-load"
PY = str(ROOT / ".venv" / "bin" / "python")

DATABASE_URL = os.environ.get("LOAD_DATABASE_URL", "postgres://harmony:harmony@127.0.0.1:5432/harmony_load")
ES_PORT = int(os.environ.get("LOAD_ES_PORT", "9290"))
ES_NODES = int(os.environ.get("LOAD_ES_NODES", "3"))
ES_SHARDS = os.environ.get("LOAD_ES_SHARDS", "3")
SEED_SCALE = os.environ.get("LOAD_SEED_SCALE", "1")
PORT = int(os.environ.get("LOAD_PORT", "8090"))
USERS = os.environ.get("LOAD_USERS", "200")
SPAWN_RATE = os.environ.get("LOAD_SPAWN_RATE", "10")
DURATION = os.environ.get("LOAD_DURATION", "10m")
WORKERS = os.environ.get("LOAD_WEB_CONCURRENCY", "")


def step(message: str) -> None:
    print(f"[bench-load] {message}", flush=True)


def ensure_database() -> None:
    """Create the load database when missing."""
    url = urlsplit(DATABASE_URL)
    name = url.path.lstrip("/")
    admin = urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def catalogue_is_empty() -> bool:
    with psycopg.connect(DATABASE_URL) as connection:
        return connection.execute("SELECT NOT EXISTS (SELECT 1 FROM catalogue_dataset)").fetchone()[0]


def load_secrets() -> dict[str, str]:
    """SECRET_KEY and AUDIT_HMAC_KEY of the load database, made once and kept beside the results (the audit
    chain of a database is verified with the key it was written with)."""
    path = STATE / "secrets.json"
    if not path.exists():
        path.write_text(json.dumps({"SECRET_KEY": secrets.token_urlsafe(40), "AUDIT_HMAC_KEY": secrets.token_hex(32)}))
        path.chmod(0o600)
    return json.loads(path.read_text())


def server_env(es_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "SEARCH_BACKEND": "elasticsearch",
        "ELASTICSEARCH_URL": es_url,
        "ELASTICSEARCH_SHARDS": ES_SHARDS,
        "ELASTICSEARCH_REPLICAS": "1" if ES_NODES > 1 else "0",
        "ELASTICSEARCH_INDEX_PREFIX": "harmony-load",
        "DEBUG": "0",
        **load_secrets(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Loopback without the TLS proxy of a deployment: no redirect to https, and the simulated users
        # all come from one address, so the per-client API rate limits are lifted.
        "SECURE_SSL_REDIRECT": "0",
        "API_THROTTLE_ANON": "1000000/second",
        "API_THROTTLE_USER": "1000000/second",
        "API_THROTTLE_WRITE": "1000000/second",
        "SEARCH_SYNC_ON_COMMIT": "1",
        **({"WEB_CONCURRENCY": WORKERS} if WORKERS else {}),
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_for_http(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit(f"{url} did not answer 200 within {timeout:.0f}s")


class Sampler(threading.Thread):
    """CPU (cores) and RSS (MiB) of process groups, every ``interval`` seconds until stopped."""

    def __init__(self, groups: dict[str, list[psutil.Process]], interval: float = 2.0) -> None:
        super().__init__(daemon=True)
        self.groups, self.interval = groups, interval
        self.samples: dict[str, list[tuple[float, float]]] = {name: [] for name in groups}
        self.stopped = threading.Event()
        # One Process object per pid: cpu_percent() measures since the previous call on the same object.
        self.known: dict[int, psutil.Process] = {}

    def processes(self, name: str) -> list[psutil.Process]:
        found = []
        for root in self.groups[name]:
            try:
                found.extend([root, *root.children(recursive=True)])
            except psutil.NoSuchProcess:
                continue
        return [self.known.setdefault(process.pid, process) for process in found]

    def run(self) -> None:
        for name in self.groups:
            for process in self.processes(name):
                process.cpu_percent(None)
        while not self.stopped.wait(self.interval):
            for name in self.groups:
                cpu = rss = 0.0
                for process in self.processes(name):
                    try:
                        cpu += process.cpu_percent(None) / 100
                        rss += process.memory_info().rss / 2**20
                    except psutil.NoSuchProcess:
                        continue
                self.samples[name].append((cpu, rss))

    def summary(self) -> dict[str, dict[str, float]]:
        out = {}
        for name, samples in self.samples.items():
            cpus, rsss = [s[0] for s in samples], [s[1] for s in samples]
            out[name] = {
                "cpu_mean": statistics.fmean(cpus) if cpus else 0.0,
                "cpu_peak": max(cpus, default=0.0),
                "rss_mean_mib": statistics.fmean(rsss) if rsss else 0.0,
                "rss_peak_mib": max(rsss, default=0.0),
            }
        return out


def es_processes(es_url: str) -> list[psutil.Process]:
    with urllib.request.urlopen(f"{es_url.split(',')[0]}/_nodes/process", timeout=10) as response:
        nodes = json.load(response)["nodes"]
    return [psutil.Process(node["process"]["id"]) for node in nodes.values()]


def index_figures(es_url: str, seconds: float) -> dict[str, float]:
    """Documents, primary store bytes per document and reindex throughput of the load indices (sizing input)."""
    node = es_url.split(",")[0]
    # Flushed first: right after a reindex the newest segments may not be counted in the store yet (a run read 0 B).
    flush = urllib.request.Request(f"{node}/harmony-load-*/_flush", method="POST")
    urllib.request.urlopen(flush, timeout=60).close()
    url = f"{node}/_cat/indices/harmony-load-*?format=json&bytes=b&h=index,docs.count,pri.store.size"
    with urllib.request.urlopen(url, timeout=30) as response:
        rows = json.load(response)
    figures: dict[str, float] = {"reindex_s": seconds}
    for row in rows:
        kind = next(k for k in ("variables", "texts", "datasets") if f"-{k}-" in row["index"])
        figures[f"{kind}_docs"] = int(row["docs.count"])
        figures[f"{kind}_bytes"] = int(row["pri.store.size"])
    docs = sum(v for k, v in figures.items() if k.endswith("_docs"))
    figures["docs_per_s"] = docs / seconds if seconds else 0.0
    return figures


def report(stats_csv: Path, usage: dict[str, dict[str, float]], meta: dict[str, str], index: dict[str, float]) -> str:
    rows = list(csv.DictReader(stats_csv.open(encoding="utf-8")))
    lines = [
        f"Load test ({meta['when']}): {meta['users']} users for {meta['duration']}, {meta['catalogue']}, "
        f"gunicorn {meta['workers']} workers on PostgreSQL, Elasticsearch {ES_NODES} nodes "
        f"({ES_SHARDS} shards, {'1 replica' if ES_NODES > 1 else 'no replica'}), all on one 2-core machine.",
        "",
        "| endpoint kind | requests | failures | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        name = "**all**" if row["Name"] == "Aggregated" else row["Name"]
        lines.append(
            f"| {name} | {int(row['Request Count']):,} | {int(row['Failure Count']):,} | "
            f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} |"
        )
    lines += [
        "",
        "| process | CPU mean (cores) | CPU peak | RSS mean MiB | RSS peak MiB |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, figures in usage.items():
        lines.append(
            f"| {name} | {figures['cpu_mean']:.2f} | {figures['cpu_peak']:.2f} | "
            f"{figures['rss_mean_mib']:.0f} | {figures['rss_peak_mib']:.0f} |"
        )
    lines += [
        "",
        (
            f"Reindex into the cluster before the run (`search_reindex`, replicas written as it goes): "
            f"{index['reindex_s']:.1f} s, {index['docs_per_s']:,.0f} documents/s. "
            if index["reindex_s"]
            else "Indices of a previous run (LOAD_REINDEX=0). "
        )
        + "Primary store per document: "
        f"variables {index['variables_bytes'] / max(index['variables_docs'], 1):,.0f} B "
        f"({index['variables_docs']:,.0f} documents), distinct texts (with their embedding) "
        f"{index.get('texts_bytes', 0) / max(index.get('texts_docs', 0), 1):,.0f} B "
        f"({index.get('texts_docs', 0):,.0f}), datasets "
        f"{index['datasets_bytes'] / max(index['datasets_docs'], 1):,.0f} B ({index['datasets_docs']:,.0f}).",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    STATE.mkdir(parents=True, exist_ok=True)
    es_env = {
        **os.environ,
        "ES_NODES": str(ES_NODES),
        "ES_PORT": str(ES_PORT),
        "ES_TRANSPORT_PORT": str(ES_PORT + 100),
        "ES_HEAP": os.environ.get("LOAD_ES_HEAP", "512m"),
    }
    step(f"Elasticsearch: {ES_NODES} node(s) from port {ES_PORT}")
    subprocess.run(["bash", "scripts/elasticsearch.sh"], cwd=ROOT, env=es_env, check=True, stdout=subprocess.DEVNULL)
    es_url = ",".join(f"http://127.0.0.1:{ES_PORT + i}" for i in range(ES_NODES))
    env = server_env(es_url)

    ensure_database()
    # Seeding and preparing leave the index to the reindex below (a sync before the first reindex
    # would write to the alias name before the alias exists).
    setup = {**env, "SEARCH_SYNC_ON_COMMIT": "0"}
    manage(setup, "migrate", "--noinput", "-v", "0")
    if catalogue_is_empty():
        step(f"seeding the demo catalogue at scale {SEED_SCALE}")
        manage(setup, "seed_demo", "--scale", SEED_SCALE)
    plan = STATE / "plan.json"
    step("accounts, tokens and items under review")
    subprocess.run([PY, "scripts/bench/load/prepare.py", str(plan)], cwd=ROOT, env=setup, check=True)
    if os.environ.get("LOAD_REINDEX", "1") == "1":
        step("reindexing into the cluster")
        started = time.monotonic()
        manage(env, "search_reindex")
        index = index_figures(es_url, time.monotonic() - started)
    else:  # LOAD_REINDEX=0: the indices of a previous run (search_check must find them complete)
        manage(env, "search_check")
        index = index_figures(es_url, 0.0)

    step(f"make serve on 127.0.0.1:{PORT}")
    server = subprocess.Popen(
        ["make", "-s", "serve", f"PORT={PORT}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(STATE / "server.log", "w"),  # noqa: SIM115 - closed with the process
        start_new_session=True,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{PORT}/healthz", timeout=900)  # collectstatic compresses every file first
        web = psutil.Process(server.pid)
        sampler = Sampler({"web (gunicorn)": [web], f"Elasticsearch ({ES_NODES} nodes)": es_processes(es_url)})
        workers = len([p for p in web.children(recursive=True) if "gunicorn" in " ".join(p.cmdline())]) - 1
        step(f"locust: {USERS} users for {DURATION}")
        sampler.start()
        prefix = RESULTS / "load"
        locust = subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "locust"),
                "-f",
                "scripts/bench/load/locustfile.py",
                "--headless",
                "--only-summary",
                "--users",
                USERS,
                "--spawn-rate",
                SPAWN_RATE,
                "--run-time",
                DURATION,
                "--host",
                f"http://127.0.0.1:{PORT}",
                "--csv",
                str(prefix),
                "--exit-code-on-error",
                "0",
            ],
            cwd=ROOT,
            env={**os.environ, "LOAD_PLAN": str(plan)},
            check=False,
        )
        sampler.stopped.set()
        sampler.join()
        if locust.returncode != 0:
            raise SystemExit(f"locust exited with {locust.returncode}")
        meta = {
            "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "users": USERS,
            "duration": DURATION,
            "catalogue": f"seed_demo --scale {SEED_SCALE}",
            "workers": str(workers),
        }
        text = report(Path(f"{prefix}_stats.csv"), sampler.summary(), meta, index)
        (RESULTS / "load.md").write_text(text, encoding="utf-8")
        print(text)
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)


if __name__ == "__main__":
    sys.exit(main())
