"""``manage.py load_reference_data``: (re)load DUO terms, disease areas, data types and vocabularies
from catalogue/data/

The data migration loads them on ``migrate``; run this after updating the shipped CSV files.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from catalogue.reference_data import load_reference_data


class Command(BaseCommand):
    help = "Create or update the controlled vocabularies shipped in catalogue/data/ (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            counts = load_reference_data()
        self.stdout.write(", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items()))
