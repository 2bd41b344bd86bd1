"""Queries and server time of the main pages on an existing (demo) database.

    HARMONY_VAR_DIR=/tmp/demo .venv/bin/python manage.py seed_demo --scale 10
    HARMONY_VAR_DIR=/tmp/demo .venv/bin/python manage.py seed_governance_demo
    HARMONY_VAR_DIR=/tmp/demo .venv/bin/python scripts/page_bench.py [--repeat 5]

Renders each page with Django's test client as the demo user it is for, and prints the number of SQL
queries and the median wall time per page (the database as configured by the environment).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harmony.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from catalogue.models import Dataset, Variable
    from governance.models import AccessRequestItem, ItemState

    setup_test_environment()  # lets the test client run against the configured database
    users = {name: get_user_model().objects.get(username=name) for name in ("curator", "dac-chair", "admin")}
    largest = (
        Dataset.objects.filter(status="published").order_by("-patient_count").values_list("slug", flat=True).first()
    )
    busiest = (
        Variable.objects.values("dataset__slug").order_by().annotate(n=django.db.models.Count("pk")).order_by("-n")
    ).first()["dataset__slug"]
    item = AccessRequestItem.objects.filter(state=ItemState.UNDER_REVIEW).first()
    pages = [
        ("home", "/", None),
        ("dataset list", "/datasets/", None),
        ("dataset list, AML", "/datasets/?disease=AML", None),
        ("dataset list, page 20", "/datasets/?page=20", None),
        ("dataset detail", f"/datasets/{largest}/", None),
        ("dataset detail (most variables), page 3", f"/datasets/{busiest}/?page=3", None),
        ("dataset detail, variable search", f"/datasets/{busiest}/?q=status", None),
        ("partners", "/partners/", None),
        ("search", "/search/?q=FLT3", None),
        ("search variables", "/search/?q=FLT3&kind=variables", None),
        ("my datasets", "/curate/", "curator"),
        ("review queue", "/review/", "dac-chair"),
        ("dashboard", "/dashboard/", "dac-chair"),
        ("statistics", "/statistics/", "admin"),
    ]
    if item is not None:
        pages.append(("item review", f"/review/items/{item.pk}/", "dac-chair"))
    print(f"{'page':45} {'status':>6} {'queries':>7} {'median ms':>10}")
    for name, path, username in pages:
        client = Client()
        if username:
            client.force_login(users[username])
        times = []
        for _ in range(arguments.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
        print(f"{name:45} {response.status_code:>6} {len(queries):>7} {statistics.median(times):>10.1f}")


if __name__ == "__main__":
    main()
