"""Loads the controlled vocabularies shipped in catalogue/data/ (DUO terms, disease areas, data types).

Idempotent: rows are matched on their natural key and updated in place, so a
newer term list can be loaded over an older one. Used by the data migration and
by ``manage.py load_reference_data``.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(filename: str) -> list[dict[str, str]]:
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines))


def load_reference_data(apps: Any = None) -> dict[str, int]:
    """Create or update DUO terms, disease areas and data types; return how many of each exist."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    duo_term = apps.get_model("catalogue", "DuoTerm")
    disease_area = apps.get_model("catalogue", "DiseaseArea")
    data_type = apps.get_model("catalogue", "DataType")

    for row in _rows("duo_terms.csv"):
        duo_term.objects.update_or_create(
            id=row["id"], defaults={"label": row["label"], "kind": row["kind"], "short_code": row["short_code"]}
        )
    for row in _rows("disease_areas.csv"):
        parent = disease_area.objects.get(code=row["parent"]) if row["parent"] else None
        disease_area.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "parent": parent, "icd10": row["icd10"], "icdo3": row["icdo3"]},
        )
    for row in _rows("data_types.csv"):
        data_type.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "category": row["category"]}
        )
    return {
        "duo_terms": duo_term.objects.count(),
        "disease_areas": disease_area.objects.count(),
        "data_types": data_type.objects.count(),
    }
