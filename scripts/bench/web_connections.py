"""What keeping the database connection between requests saves the production server (gunicorn, DEBUG=0).

Starts two gunicorn servers of this checkout on one database, one with ``DATABASE_CONN_MAX_AGE=0`` (a new connection
per request, the default before 2026-12-02) and one with the default (kept), then sends the same search API requests
to both, alternating request by request over HTTP keep-alive, and prints the p50/p95 of each and their ratio:

    DATABASE_URL=postgres://…/bench20 .venv/bin/python scripts/bench/web_connections.py

Environment: BENCH_ROUNDS (default 50) rounds of the queries below; the servers listen on 127.0.0.1:8791/8792.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
QUERIES = [
    "/api/v1/search/datasets/?q=munchen",
    "/api/v1/search/variables/?q=jak2+v617f&sort=patients",
    "/api/v1/search/datasets/?data_type=wgs&sort=patients",
    "/api/v1/datasets/?page_size=20",
]
SERVERS = {"new connection per request (CONN_MAX_AGE=0)": ("8791", "0"), "connection kept (default)": ("8792", "")}


def start(port: str, max_age: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-secret-key-not-used-for-anything-else-at-all",
        "AUDIT_HMAC_KEY": "benchmark-only-audit-key-for-a-throwaway-measurement",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SEARCH_BACKEND": "database",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_MAX_REQUESTS": "0",
        "LOG_LEVEL": "WARNING",
        "API_THROTTLE_ANON": "100000/minute",  # one client sends every request
    }
    if max_age:
        env["DATABASE_CONN_MAX_AGE"] = max_age
    else:
        env.pop("DATABASE_CONN_MAX_AGE", None)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "-c", "harmony/gunicorn_conf.py", "--access-logfile", "/dev/null"]
    return subprocess.Popen(command, cwd=ROOT, env=env)


def main() -> None:
    rounds = int(os.environ.get("BENCH_ROUNDS", "50"))
    servers = {name: start(port, age) for name, (port, age) in SERVERS.items()}
    sessions = {name: requests.Session() for name in SERVERS}
    try:
        for name, (port, _) in SERVERS.items():  # ready, and warm (facet labels, text matrix, query vectors)
            for _ in range(100):
                try:
                    for query in QUERIES:
                        sessions[name].get(f"http://127.0.0.1:{port}{query}", timeout=30).raise_for_status()
                    break
                except requests.ConnectionError:
                    time.sleep(0.2)
        timings: dict[str, list[float]] = {name: [] for name in SERVERS}
        for number in range(rounds):
            order = list(SERVERS) if number % 2 == 0 else list(reversed(SERVERS))
            for query in QUERIES:
                for name in order:
                    started = time.perf_counter()
                    response = sessions[name].get(f"http://127.0.0.1:{SERVERS[name][0]}{query}", timeout=30)
                    timings[name].append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, response.text[:300]
        for name, values in timings.items():
            values.sort()
            p95 = values[int(0.95 * (len(values) - 1))]
            print(f"{name}: n {len(values)}, p50 {statistics.median(values):.1f} ms, p95 {p95:.1f} ms")
        new, kept = (statistics.median(timings[name]) for name in SERVERS)
        print(f"kept / new connection, p50: {kept / new:.2f}x")
    finally:
        for server in servers.values():
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
