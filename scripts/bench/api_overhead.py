"""The search API's Python time per request on the database backend: wall time minus the time spent executing SQL.

For each of ``run.py``'s 16 queries, BENCH_ROUNDS requests (default 9) through Django's test client, each timed
whole and with ``connection.execute_wrapper`` summing the time inside the statements it runs; prints the
medians. Unlike the API / raw SQL ratio of ``run.py``'s ``db-queries`` part, this does not move when the SQL gets
cheaper, so it compares two versions of the code run one after the other (alternate them on a shared machine).
Production settings (DEBUG=0) as in ``run.py``, whose environment defaults it takes:

    DATABASE_URL=postgres://…/bench20 .venv/bin/python scripts/bench/api_overhead.py
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.db import connection
from django.test import Client, override_settings
from run import QUERIES, api_url

from catalogue.search.backends import reset_search_backends


class StatementTimer:
    """A ``connection.execute_wrapper`` adding up the time spent inside the statements."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def main() -> None:
    rounds = int(os.environ.get("BENCH_ROUNDS", "9"))
    with override_settings(SEARCH_BACKEND="database"):
        reset_search_backends()
        client = Client()
        for kind, params in QUERIES:  # warm-up: facet labels, text matrix, query vectors
            client.get(api_url(kind), {**params, "page_size": 20})
        total_python = 0.0
        for kind, params in QUERIES:
            wall: list[float] = []
            sql: list[float] = []
            for _ in range(rounds):
                timer = StatementTimer()
                with connection.execute_wrapper(timer):
                    started = time.perf_counter()
                    response = client.get(api_url(kind), {**params, "page_size": 20})
                    wall.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.content[:300]
                sql.append(timer.seconds * 1000)
            python = statistics.median(w - s for w, s in zip(wall, sql, strict=True))
            total_python += python
            print(
                f"{kind} {json.dumps(params, sort_keys=True)}: API p50 {statistics.median(wall):.1f} ms, "
                f"in SQL {statistics.median(sql):.1f} ms, Python {python:.1f} ms",
                flush=True,
            )
        print(f"Python time summed over the {len(QUERIES)} queries: {total_python:.0f} ms")


if __name__ == "__main__":
    main()
