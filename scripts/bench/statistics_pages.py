"""Benchmark of the figures that must not grow with the catalogue: the home page's and the statistics page's.

Runs against the catalogue of DATABASE_URL (seed it first, e.g. ``manage.py seed_demo --scale 100``); it only
reads (and applies pending figure refreshes, as the pages do):

    DATABASE_URL=postgres://…/bench100 .venv/bin/python scripts/bench/statistics_pages.py

Measured, interleaved round by round (wall-clock, in milliseconds): ``catalogue_statistics()`` (the home
page's figures), the whole ``GET /statistics/`` page as an administrator (every chart, rendered), the
statistics page's request charts alone, and, for comparison, the count of published variables the
figures replace (``COUNT(*)`` over the variables, which grows with the catalogue). Environment:
BENCH_ROUNDS (default 30). Figures go to stdout and scripts/bench/results/statistics-<database>.json.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harmony.settings")
os.environ.setdefault("DEBUG", "0")  # as in production: no SQL logging
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-used-for-anything-else")
os.environ.setdefault("AUDIT_HMAC_KEY", "benchmark-only-audit-key-not-used-for-anything-else")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from catalogue.models import Dataset, DatasetStatus, Variable  # noqa: E402
from catalogue.selectors import catalogue_statistics  # noqa: E402
from governance.statistics import StatisticsFilters, request_charts  # noqa: E402

RESULTS = ROOT / "scripts" / "bench" / "results"


def timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "n": len(values),
        "p50_ms": round(statistics.median(values), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 1),
    }


def main() -> None:
    rounds = int(os.environ.get("BENCH_ROUNDS", "30"))
    admin = get_user_model().objects.filter(is_superuser=True, is_active=True).first()
    if admin is None:
        sys.exit("No active superuser in this database: seed it with manage.py seed_demo first.")
    client = Client()
    client.force_login(admin)

    def statistics_page() -> None:
        response = client.get("/statistics/", secure=True)  # production settings redirect plain HTTP
        assert response.status_code == 200, response.status_code

    def variable_count() -> None:
        Variable.objects.filter(dataset__status=DatasetStatus.PUBLISHED).count()

    actions: dict[str, Callable[[], Any]] = {
        "catalogue_statistics": catalogue_statistics,
        "statistics_page": statistics_page,
        "request_charts": lambda: request_charts(StatisticsFilters()),
        "count_of_published_variables": variable_count,
    }
    for action in actions.values():  # warm-up (and any pending figure refresh)
        action()
    timings: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(rounds):
        for name, action in actions.items():
            timings[name].append(timed(action))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            database = f"SQLite {connection.Database.sqlite_version}"
    results = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "database": database,
        "python": platform.python_version(),
        "nproc": os.cpu_count(),
        "catalogue": {"datasets": Dataset.objects.count(), "variables": Variable.objects.count()},
        "timings": {name: summary(values) for name, values in timings.items()},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"statistics-{connection.vendor}.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"{results['catalogue']['datasets']} datasets, {results['catalogue']['variables']} variables, {database}")
    for name, figures in results["timings"].items():
        print(f"  {name}: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms ({figures['n']} rounds)")


if __name__ == "__main__":
    # Production settings otherwise, but static URLs without the collectstatic manifest (not built here).
    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain_static}):
        main()
