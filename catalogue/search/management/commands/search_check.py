"""``manage.py search_check``: compare the search index with the database; exit 1 on any difference."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalogue.search.backends import get_search_backend
from catalogue.search.embeddings import MODEL_NAME, semantic_status
from catalogue.search.models import SearchChange
from catalogue.search.vector_index import too_many_texts

SHOWN_IDS = 20


def semantic_report(backend_name: str) -> str:
    """One line: whether searches get cross-language semantic matches, and if not, why."""
    reason = semantic_status().reason or (too_many_texts() if backend_name == "database" else "")
    if reason:
        return f"{reason} Searches are lexical only."
    return f"Semantic matching is on ({MODEL_NAME})."


class Command(BaseCommand):
    help = "Report documents missing from, extra in, or stale in the search index (exit status 1 if any)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--backend", help="search backend (default: settings.SEARCH_BACKEND)")

    def handle(self, *args: Any, backend: str | None, **options: Any) -> None:
        search_backend = get_search_backend(backend)
        differences = search_backend.check()
        for kind, groups in (
            ("missing", differences.missing),
            ("extra", differences.extra),
            ("stale", differences.stale),
        ):
            for doc_type, ids in groups.items():
                if ids:
                    shown = ", ".join(str(pk) for pk in ids[:SHOWN_IDS])
                    more = f" … and {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else ""
                    self.stdout.write(f"{kind} {doc_type} ({len(ids)}): {shown}{more}")
        self.stdout.write(semantic_report(search_backend.name))
        pending = SearchChange.objects.count()
        if pending:
            self.stdout.write(f"{pending} changes are waiting in the outbox (run search_sync).")
        if not differences.clean:
            raise CommandError("The search index differs from the database.", returncode=1)
        self.stdout.write(f"The {search_backend.name} search index matches the database.")
