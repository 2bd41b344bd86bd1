"""Benchmark of the audit trail: appends per second (one event per transaction, as services write them)
and verification speed of `audit_verify` (keyed chain + anchor check).

Runs in a throwaway database created like a test database, so the development database's append-only
trail is never touched:

    .venv/bin/python scripts/bench/audit_append.py                                   # SQLite
    DATABASE_URL=$(bash scripts/postgres.sh url) DATABASE_TEST_NAME=bench_audit \\
        .venv/bin/python scripts/bench/audit_append.py                               # PostgreSQL

Environment: BENCH_EVENTS (default 5000). Figures go to stdout and
scripts/bench/results/audit_append-<database>.json. Runs with DEBUG=0, as in production.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harmony.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-used-for-anything-else")
os.environ.setdefault("AUDIT_HMAC_KEY", "benchmark-only-audit-key-for-a-throwaway-database")
os.environ.setdefault("HARMONY_VAR_DIR", tempfile.mkdtemp(prefix="bench-audit-"))

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from audit.services import anchor_trail, audit_record, verify_trail  # noqa: E402


def main() -> None:
    events = int(os.environ.get("BENCH_EVENTS", "5000"))
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        actor = get_user_model().objects.create(username="bench-actor")
        started = time.perf_counter()
        for number in range(events):
            with transaction.atomic():
                audit_record(
                    actor=actor, action="bench.change", obj=actor, before={"n": number}, after={"n": number + 1}
                )
        append_seconds = time.perf_counter() - started
        anchor_trail()
        started = time.perf_counter()
        problem = verify_trail()
        verify_seconds = time.perf_counter() - started
        assert problem is None, problem
        figures = {
            "database": connection.vendor,
            "python": platform.python_version(),
            "events": events,
            "append_events_per_second": round(events / append_seconds),
            "verify_events_per_second": round(events / verify_seconds),
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(json.dumps(figures, indent=2))
    out = ROOT / "scripts" / "bench" / "results" / f"audit_append-{figures['database']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
