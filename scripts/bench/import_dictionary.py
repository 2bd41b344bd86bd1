"""Benchmark of the data dictionary import: time and peak memory for 10,000 and 100,000 variables.

Runs in a throwaway database created like a test database (``DATABASE_TEST_NAME`` names it on
PostgreSQL; SQLite uses a temporary file), so the development database is never touched:

    .venv/bin/python scripts/bench/import_dictionary.py                         # SQLite
    DATABASE_URL=$(bash scripts/postgres.sh url) DATABASE_TEST_NAME=bench_import \\
        .venv/bin/python scripts/bench/import_dictionary.py                     # PostgreSQL

For each size it measures (wall-clock and this process's CPU time, no tracing): the first import (all rows created)
and, right after it, its floor (the same variable and concept-link rows written again by COPY / executemany into
another dataset, nothing else), an identical re-import (all unchanged), a re-import with every label changed
(all updated), and an XLSX import; then, in a separate run under ``tracemalloc``, the peak Python heap of a first import
(tracing slows Python down, so it is kept out of the timings). Max RSS of the whole process is
reported too. Figures go to stdout and scripts/bench/results/import_dictionary-<database>.json.
Runs with DEBUG=0 (as in production; DEBUG=1 would log every SQL statement). Environment:
BENCH_ROWS (default "10000,100000"), BENCH_XLSX=0 to skip the XLSX runs.
"""

from __future__ import annotations

import io
import json
import os
import platform
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harmony.settings")
os.environ.setdefault("SEARCH_SYNC_ON_COMMIT", "0")  # measure the import, not the search indexing
# Production settings: with DEBUG on, Django logs (and formats) every SQL statement with its parameters.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-used-for-anything-else")
os.environ.setdefault("AUDIT_HMAC_KEY", "benchmark-only-audit-key-for-a-throwaway-database")  # required when DEBUG=0
os.environ.setdefault("HARMONY_VAR_DIR", tempfile.mkdtemp(prefix="bench-import-"))

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from catalogue.importers.bulk_sql import insert_rows  # noqa: E402
from catalogue.importers.dictionary import DictionaryImportResult, import_data_dictionary  # noqa: E402
from catalogue.models import Dataset, DatasetStatus, Partner, Variable  # noqa: E402

HEADER = "name,label,description,value_type,unit,categories,completeness,concepts\n"


def dictionary_csv(rows: int, label_suffix: str = "") -> bytes:
    """A realistic dictionary: a third categorical, lab values with units, two concept mappings per row."""
    lines = [HEADER]
    for n in range(rows):
        categorical = n % 3 == 0
        lines.append(
            f"var_{n:06d},Variable {n}{label_suffix},Measured at visit {n % 12},"
            f"{'categorical' if categorical else 'decimal'},{'' if categorical else 'g/dL'},"
            f"{'0=no; 1=yes; 9=unknown' if categorical else ''},{n % 101},"
            f"LOINC:{n % 2000}-{n % 10}; HGNC:GENE{n % 300}\n"
        )
    return "".join(lines).encode()


def dictionary_xlsx(csv_bytes: bytes) -> bytes:
    import csv

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("variables")
    for row in csv.reader(io.StringIO(csv_bytes.decode())):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run_import(actor: Any, dataset: Dataset, data: bytes, filename: str) -> tuple[str, DictionaryImportResult]:
    """Import and return "wall s (cpu s)": on a shared machine the process's CPU time is the steadier figure."""
    started, cpu_started = time.perf_counter(), time.process_time()
    result = import_data_dictionary(actor=actor, dataset=dataset, file=io.BytesIO(data), filename=filename)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    if not result.ok:
        raise SystemExit(f"import failed: {result.errors[:3]}")
    return f"{elapsed:.2f} s ({cpu:.2f} s CPU)", result


def raw_floor(source: Dataset, target: Dataset) -> str:
    """The floor of a first import: the very rows the import wrote into ``source`` (read back, untimed), written
    again into ``target`` by ``COPY`` (PostgreSQL) or ``executemany`` (SQLite) in one transaction — the
    variables, then their concept links — with nothing else: no parsing, validation, audit or outbox."""
    fields = [f for f in Variable._meta.concrete_fields if not f.primary_key]
    values = [
        [target.pk if f.name == "dataset" else v for f, v in zip(fields, row, strict=True)]
        for row in Variable.objects.filter(dataset=source).order_by("pk").values_list(*[f.attname for f in fields])
    ]
    prepared_rows = [[f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)] for row in values]
    through = Variable.concepts.through
    links = list(
        through.objects.filter(variable__dataset=source)
        .order_by("variable_id")
        .values_list("variable_id", "concept_id")
    )
    started, cpu_started = time.perf_counter(), time.process_time()
    with transaction.atomic():
        insert_rows(Variable, fields, prepared_rows)
        new_ids = dict(Variable.objects.filter(dataset=target).values_list("name", "pk"))
        names = dict(Variable.objects.filter(dataset=source).values_list("pk", "name"))
        link_fields = [through._meta.get_field("variable"), through._meta.get_field("concept")]
        insert_rows(through, link_fields, [(new_ids[names[variable_id]], concept) for variable_id, concept in links])
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return f"{elapsed:.2f} s ({cpu:.2f} s CPU)"


def seconds(figure: str) -> float:
    return float(figure.split(" ", 1)[0])


def new_dataset(partner: Partner, slug: str) -> Dataset:
    return Dataset.objects.create(partner=partner, title=slug, slug=slug, status=DatasetStatus.DRAFT)


def main() -> None:
    sizes = [int(size) for size in os.environ.get("BENCH_ROWS", "10000,100000").split(",")]
    with_xlsx = os.environ.get("BENCH_XLSX", "1") != "0"
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    figures: dict[str, Any] = {
        "database": connection.vendor,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "runs": [],
    }
    try:
        actor = get_user_model().objects.create(username="bench-admin", is_superuser=True, is_staff=True)
        partner = Partner.objects.create(
            name="Bench Partner", short_name="BENCH", slug="bench", country="DE", kind="academic"
        )
        for size in sizes:
            data = dictionary_csv(size)
            changed = dictionary_csv(size, label_suffix=" (revised)")
            dataset = new_dataset(partner, f"bench-{size}")
            first, result = run_import(actor, dataset, data, "d.csv")
            assert result.created == size, result.summary()
            floor = raw_floor(dataset, new_dataset(partner, f"bench-floor-{size}"))
            same, result = run_import(actor, dataset, data, "d.csv")
            assert result.unchanged == size, result.summary()
            update, result = run_import(actor, dataset, changed, "d.csv")
            assert result.updated == size, result.summary()
            run: dict[str, Any] = {
                "rows": size,
                "csv_bytes": len(data),
                "first_import": first,
                "raw_floor": floor,
                "first_import_over_floor": round(seconds(first) / seconds(floor), 2),
                "identical_reimport": same,
                "all_changed_reimport": update,
            }
            if with_xlsx:
                xlsx = dictionary_xlsx(data)
                xlsx_seconds, result = run_import(actor, new_dataset(partner, f"bench-xlsx-{size}"), xlsx, "d.xlsx")
                assert result.created == size
                run.update(xlsx_bytes=len(xlsx), xlsx_first_import=xlsx_seconds)
            traced = new_dataset(partner, f"bench-traced-{size}")
            source = io.BytesIO(data)
            tracemalloc.start()
            import_data_dictionary(actor=actor, dataset=traced, file=source, filename="d.csv")
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            run["first_import_peak_python_heap_mb"] = round(peak / 1_048_576, 1)
            figures["runs"].append(run)
            print(json.dumps(run), flush=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures["process_max_rss_mb"] = round(maxrss_kb / 1024, 1)
    rss = figures["process_max_rss_mb"]
    print(f"process max RSS: {rss} MB (includes the generated files and the floor's read-back held in memory)")
    target = ROOT / "scripts" / "bench" / "results" / f"import_dictionary-{figures['database']}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"written to {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
