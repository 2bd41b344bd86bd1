"""``manage.py search_reindex``: rebuild the search index from the database."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalogue.search.backends import get_search_backend
from catalogue.search.sync import rebuild_index


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the database. Elasticsearch: into new indices, then one atomic "
        "alias swap (searches never see an empty index); database backend: in one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--backend", help="search backend (default: settings.SEARCH_BACKEND)")
        parser.add_argument("--chunk-size", type=int, default=500, help="datasets rendered per batch (default 500)")

    def handle(self, *args: Any, backend: str | None, chunk_size: int, **options: Any) -> None:
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1.")
        search_backend = get_search_backend(backend)
        started = time.perf_counter()
        report = rebuild_index(backend=search_backend, chunk_size=chunk_size)
        elapsed = time.perf_counter() - started
        documents = sum(report.indexed.values())
        self.stdout.write(
            f"Indexed {report.indexed.get('datasets', 0)} datasets and {report.indexed.get('variables', 0)} "
            f"variables with the {search_backend.name} backend in {elapsed:.1f}s "
            f"({documents / elapsed if elapsed else 0:.0f} documents/s)."
        )
        if report.sync.applied_changes:
            self.stdout.write(f"Applied {report.sync.applied_changes} changes made during the rebuild.")
        if report.sync.error:
            raise CommandError(f"Changes made during the rebuild were not applied: {report.sync.error}")
