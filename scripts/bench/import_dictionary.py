"""Benchmark of the data dictionary import against its floor: time and whole-process peak memory.

Runs in a throwaway database created like a test database (``DATABASE_TEST_NAME`` names it on
PostgreSQL; SQLite uses a temporary file), so the development database is never touched:

    .venv/bin/python scripts/bench/import_dictionary.py                         # SQLite
    DATABASE_URL=$(bash scripts/postgres.sh url) DATABASE_TEST_NAME=bench_import \\
        .venv/bin/python scripts/bench/import_dictionary.py                     # PostgreSQL

Every import runs in a fresh process of its own (``--child``: Django set up, the file read from disk, as a
job worker runs it), which reports its wall-clock and CPU time (no tracing) and its whole-process peak RSS,
and the RSS it had before the import (Django and the project's apps loaded). For each size:

* ``BENCH_REPEATS`` (default 3) interleaved pairs: a first import (all rows created) into a new dataset, then,
  in this process, its **floor**: the same variable and concept-link rows (read back untimed, in their
  stored form) written into another new dataset by ``COPY`` (PostgreSQL) or ``executemany`` (SQLite) in one
  transaction, plus the one read of the new ids the links need; nothing else. The ratios are the median of
  the pairs' ratios, wall and CPU;
* an identical re-import (all unchanged), a re-import with every label changed (all updated), an XLSX first
  import, and a first import under ``tracemalloc`` (its Python heap peak; tracing slows Python down, so it is
  kept out of the timings).

Figures go to stdout and scripts/bench/results/import_dictionary-<database>.json. Runs with DEBUG=0 (as in
production; DEBUG=1 would log every SQL statement). Environment: BENCH_ROWS (default "10000,100000"),
BENCH_REPEATS (default 3), BENCH_XLSX=0 to skip the XLSX runs, BENCH_PROFILE=<directory> to run one more
first import of each size under cProfile (kept out of the figures) and write its statistics there
(``import-<database>-<rows>.pstats``; its 25 costliest functions by own time are printed).
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import platform
import pstats
import resource
import shutil
import statistics
import subprocess
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
from catalogue.importers.dictionary import import_data_dictionary  # noqa: E402
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


def _max_rss_mb() -> float:
    """This process's peak resident set size (``VmHWM``). Not ``getrusage``'s ``ru_maxrss``: Linux carries
    that over ``exec`` from the forking parent, so a child would report at least the parent's size."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # not Linux


def child(spec: dict[str, Any]) -> dict[str, Any]:
    """In a fresh process: import ``spec["path"]`` into the dataset ``spec["dataset"]`` of the parent's
    throwaway database and report the times, the counts and this process's peak RSS."""
    connection.settings_dict["NAME"] = spec["database"]
    actor = get_user_model().objects.get(username="bench-admin")
    dataset = Dataset.objects.select_related("partner").get(pk=spec["dataset"])
    baseline = _max_rss_mb()
    profile = cProfile.Profile() if spec.get("profile") else None
    with open(spec["path"], "rb") as file:
        if spec.get("trace"):
            tracemalloc.start()
        started, cpu_started = time.perf_counter(), time.process_time()
        if profile is not None:
            profile.enable()
        result = import_data_dictionary(actor=actor, dataset=dataset, file=file, filename=spec["filename"])
        if profile is not None:
            profile.disable()
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        heap = tracemalloc.get_traced_memory()[1] if spec.get("trace") else 0
    if not result.ok:
        raise SystemExit(f"import failed: {result.errors[:3]}")
    figures = {
        "wall": round(wall, 2),
        "cpu": round(cpu, 2),
        "counts": [result.created, result.updated, result.unchanged, result.removed],
        "max_rss_mb": _max_rss_mb(),
        "rss_before_import_mb": baseline,
    }
    if spec.get("trace"):
        figures["peak_python_heap_mb"] = round(heap / 1_048_576, 1)
    if profile is not None:
        profile.dump_stats(spec["profile"])
    return figures


def run_import(dataset: Dataset, path: Path, *, trace: bool = False, profile: str = "") -> dict[str, Any]:
    """The import of ``path`` into ``dataset``, in a process of its own (under cProfile, writing the
    statistics to the file ``profile``, if given)."""
    spec = {
        "database": connection.settings_dict["NAME"],
        "dataset": dataset.pk,
        "path": str(path),
        "filename": path.name,
        "trace": trace,
        "profile": profile,
    }
    done = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(spec)], check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def raw_floor(source: Dataset, target: Dataset) -> dict[str, float]:
    """The floor of a first import: the very rows the import wrote into ``source`` (read back and prepared
    untimed) written again into ``target`` by ``COPY`` (PostgreSQL) or ``executemany`` (SQLite) in one
    transaction — the variables, one read of their new ids by name, then the concept links — with nothing
    else: no parsing, validation, audit, outbox or statistics."""
    fields = [f for f in Variable._meta.concrete_fields if not f.primary_key]
    values = [
        [target.pk if f.name == "dataset" else v for f, v in zip(fields, row, strict=True)]
        for row in Variable.objects.filter(dataset=source).order_by("pk").values_list(*[f.attname for f in fields])
    ]
    prepared_rows = [[f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)] for row in values]
    del values
    through = Variable.concepts.through
    links_by_name = list(
        through.objects.filter(variable__dataset=source)
        .order_by("variable_id")
        .values_list("variable__name", "concept_id")
    )
    link_fields = [through._meta.get_field("variable"), through._meta.get_field("concept")]
    started, cpu_started = time.perf_counter(), time.process_time()
    with transaction.atomic():
        insert_rows(Variable, fields, prepared_rows)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT name, id FROM {Variable._meta.db_table} WHERE dataset_id = %s", [target.pk])
            new_ids = dict(cursor.fetchall())
        insert_rows(through, link_fields, [(new_ids[name], concept) for name, concept in links_by_name])
    return {"wall": round(time.perf_counter() - started, 2), "cpu": round(time.process_time() - cpu_started, 2)}


def new_dataset(partner: Partner, slug: str) -> Dataset:
    return Dataset.objects.create(partner=partner, title=slug, slug=slug, status=DatasetStatus.DRAFT)


def main() -> None:
    sizes = [int(size) for size in os.environ.get("BENCH_ROWS", "10000,100000").split(",")]
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    with_xlsx = os.environ.get("BENCH_XLSX", "1") != "0"
    profile_dir = os.environ.get("BENCH_PROFILE", "")
    workdir = Path(tempfile.mkdtemp(prefix="bench-import-files-"))
    if connection.vendor == "sqlite":
        # A file, not SQLite's in-memory test database: the import processes open the same database.
        connection.settings_dict["TEST"] = {
            **connection.settings_dict.get("TEST", {}),
            "NAME": str(workdir / "db.sqlite3"),
        }
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    figures: dict[str, Any] = {
        "database": connection.vendor,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "load_average_at_start": os.getloadavg()[0],
        "runs": [],
    }
    try:
        get_user_model().objects.create(username="bench-admin", is_superuser=True, is_staff=True)
        partner = Partner.objects.create(
            name="Bench Partner", short_name="BENCH", slug="bench", country="DE", kind="academic"
        )
        for size in sizes:
            data = workdir / f"d-{size}.csv"
            data.write_bytes(dictionary_csv(size))
            changed = workdir / f"changed-{size}.csv"
            changed.write_bytes(dictionary_csv(size, label_suffix=" (revised)"))
            pairs = []
            for repeat in range(repeats):
                dataset = new_dataset(partner, f"bench-{size}-{repeat}")
                first = run_import(dataset, data)
                assert first["counts"] == [size, 0, 0, 0], first
                floor = raw_floor(dataset, new_dataset(partner, f"bench-floor-{size}-{repeat}"))
                pairs.append({"first_import": first, "floor": floor})
                print(json.dumps({"rows": size, "repeat": repeat, **pairs[-1]}), flush=True)
            dataset = Dataset.objects.get(slug=f"bench-{size}-0")
            same = run_import(dataset, data)
            assert same["counts"] == [0, 0, size, 0], same
            update = run_import(dataset, changed)
            assert update["counts"] == [0, size, 0, 0], update
            run: dict[str, Any] = {
                "rows": size,
                "csv_bytes": data.stat().st_size,
                "first_import_over_floor_wall": ratio(pairs, "wall"),
                "first_import_over_floor_cpu": ratio(pairs, "cpu"),
                "first_import_max_rss_mb": max(pair["first_import"]["max_rss_mb"] for pair in pairs),
                "rss_before_import_mb": max(pair["first_import"]["rss_before_import_mb"] for pair in pairs),
                "pairs": pairs,
                "identical_reimport": same,
                "all_changed_reimport": update,
            }
            if with_xlsx:
                xlsx = workdir / f"d-{size}.xlsx"
                xlsx.write_bytes(dictionary_xlsx(data.read_bytes()))
                run["xlsx_bytes"] = xlsx.stat().st_size
                run["xlsx_first_import"] = run_import(new_dataset(partner, f"bench-xlsx-{size}"), xlsx)
            run["traced_first_import"] = run_import(new_dataset(partner, f"bench-traced-{size}"), data, trace=True)
            if profile_dir:
                stats = Path(profile_dir) / f"import-{connection.vendor}-{size}.pstats"
                stats.parent.mkdir(parents=True, exist_ok=True)
                run_import(new_dataset(partner, f"bench-profiled-{size}"), data, profile=str(stats))
                pstats.Stats(str(stats)).sort_stats("tottime").print_stats(25)
            figures["runs"].append(run)
            print(json.dumps({key: value for key, value in run.items() if key != "pairs"}), flush=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(workdir, ignore_errors=True)
    target = ROOT / "scripts" / "bench" / "results" / f"import_dictionary-{figures['database']}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"written to {target.relative_to(ROOT)}")


def ratio(pairs: list[dict[str, Any]], measure: str) -> float:
    """The median over the pairs of first import / floor, in ``measure`` ("wall" or "cpu")."""
    return round(statistics.median(pair["first_import"][measure] / pair["floor"][measure] for pair in pairs), 2)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(child(json.loads(sys.argv[2]))))
    else:
        main()
