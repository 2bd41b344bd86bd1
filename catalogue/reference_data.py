"""Loads the controlled vocabularies shipped in catalogue/data/ (DUO terms, the MONDO hematology subset, disease
areas, data types, the standard vocabularies concepts come from) and their labels in the interface languages
(catalogue/data/translations/).

Why translated columns filled from data files rather than gettext: these are rows of the database (an
administrator may add a term), their translations have sources that belong in the data file's header (as the
terms' own do), and the API can then show them beside the English text, as it does for catalogue content.

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


VOCABULARY_FIELDS = ("name", "iri", "code_pattern", "example", "aliases")


def shipped_vocabularies() -> list[dict[str, str]]:
    """The rows of catalogue/data/vocabularies.csv (id, name, iri, code_pattern, example, aliases)."""
    return _rows("vocabularies.csv")


def load_vocabularies(apps: Any = None) -> int:
    """Create or update the shipped vocabularies (vocabularies administrators added are kept); return the count."""
    vocabulary = _apps(apps).get_model("catalogue", "Vocabulary")
    for row in shipped_vocabularies():
        vocabulary.objects.update_or_create(id=row["id"], defaults={name: row[name] for name in VOCABULARY_FIELDS})
    return vocabulary.objects.count()


def _apps(apps: Any) -> Any:
    if apps is None:
        from django.apps import apps as global_apps

        return global_apps
    return apps


def _has_model(apps: Any, name: str) -> bool:
    try:
        apps.get_model("catalogue", name)
    except LookupError:
        return False
    return True


def load_mondo_terms(apps: Any = None) -> int:
    """Create or update the MONDO hematology subset and set each term's parents to the file's (terms added by
    administrators are kept); return the number of terms."""
    mondo_term = _apps(apps).get_model("catalogue", "MondoTerm")
    rows = _rows("mondo_hematology.csv")
    terms = {}
    for row in rows:
        terms[row["id"]], _ = mondo_term.objects.update_or_create(
            id=row["id"], defaults={"name": row["name"], "doid": row["doid"]}
        )
    for row in rows:
        terms[row["id"]].parents.set([terms[parent] for parent in row["parents"].split("|") if parent])
    return mondo_term.objects.count()


def load_reference_data(apps: Any = None) -> dict[str, int]:
    """Create or update DUO terms, MONDO terms, disease areas, data types and vocabularies; return how many of
    each exist.

    With ``apps`` of an older migration state (the 0002 data migration runs before the Vocabulary and MondoTerm
    tables and the DUO definitions exist), what that state lacks is left to the migration that adds it.
    """
    apps = _apps(apps)
    duo_term = apps.get_model("catalogue", "DuoTerm")
    disease_area = apps.get_model("catalogue", "DiseaseArea")
    data_type = apps.get_model("catalogue", "DataType")
    with_mondo = _has_model(apps, "MondoTerm")
    duo_fields = {field.name for field in duo_term._meta.get_fields()}

    for row in _rows("duo_terms.csv"):
        defaults = {name: row[name] for name in ("label", "kind", "short_code", "definition", "example")}
        duo_term.objects.update_or_create(
            id=row["id"], defaults={name: value for name, value in defaults.items() if name in duo_fields}
        )
    counts: dict[str, int] = {}
    if with_mondo:
        counts["mondo_terms"] = load_mondo_terms(apps)
    for row in _rows("disease_areas.csv"):
        parent = disease_area.objects.get(code=row["parent"]) if row["parent"] else None
        defaults = {"name": row["name"], "parent": parent, "icd10": row["icd10"], "icdo3": row["icdo3"]}
        if with_mondo:
            defaults["mondo_id"] = row["mondo"] or None
        disease_area.objects.update_or_create(code=row["code"], defaults=defaults)
    for row in _rows("data_types.csv"):
        data_type.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "category": row["category"]}
        )
    counts.update(
        duo_terms=duo_term.objects.count(),
        disease_areas=disease_area.objects.count(),
        data_types=data_type.objects.count(),
    )
    if _has_model(apps, "Vocabulary"):
        counts["vocabularies"] = load_vocabularies(apps)
    if "label_translations" in duo_fields:
        counts["translated_labels"] = load_label_translations(apps)
    return counts


TRANSLATED_LANGUAGES = ("de", "fr", "it", "es")


def load_label_translations(apps: Any = None) -> int:
    """Fill the ``*_translations`` of DUO terms, MONDO terms, disease areas and data types from the shipped
    files of catalogue/data/translations/ (their headers name the sources); returns how many rows were updated.
    A row the files do not list keeps its translations (an administrator may have written them)."""
    apps = _apps(apps)
    updated = 0
    duo_term = apps.get_model("catalogue", "DuoTerm")
    by_term: dict[str, dict[str, dict[str, str]]] = {}
    for row in _rows("translations/duo_terms.csv"):
        by_term.setdefault(row["key"], {})[row["field"]] = {code: row[code] for code in TRANSLATED_LANGUAGES}
    for term in duo_term.objects.filter(pk__in=by_term):
        for field, texts in by_term[term.pk].items():
            setattr(term, f"{field}_translations", texts)
        term.save()
        updated += 1
    names = {
        row["key"]: {code: row[code] for code in TRANSLATED_LANGUAGES} for row in _rows("translations/diseases.csv")
    }
    names.update(
        (row["key"], {code: row[code] for code in TRANSLATED_LANGUAGES}) for row in _rows("translations/data_types.csv")
    )
    for model, key in (("MondoTerm", "pk"), ("DiseaseArea", "code"), ("DataType", "code")):
        for row in apps.get_model("catalogue", model).objects.all():
            texts = names.get(getattr(row, key))
            if texts:
                row.name_translations = texts
                row.save(update_fields=["name_translations"])
                updated += 1
    return updated
