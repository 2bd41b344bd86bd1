"""``manage.py search_sync``: apply the pending search changes of the outbox to the search index now.

The outbox worker (``manage.py outbox_worker``) does this continuously for every kind of message,
with backoff; this command applies every pending search change at once, backoff or not (after an
outage, or in scripts), and ``--loop`` keeps the old search-only worker available.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalogue.search.backends import get_search_backend
from catalogue.search.models import SearchChange
from catalogue.search.sync import apply_pending_changes


class Command(BaseCommand):
    help = "Apply pending catalogue changes (the search outbox) to the search index, in batches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--backend", help="search backend (default: settings.SEARCH_BACKEND)")
        parser.add_argument("--batch-size", type=int, default=500, help="outbox rows per batch (default 500)")
        parser.add_argument("--loop", action="store_true", help="keep running, polling the outbox")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between polls with --loop")

    def handle(
        self, *args: Any, backend: str | None, batch_size: int, loop: bool, interval: float, **options: Any
    ) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        search_backend = get_search_backend(backend)
        while True:
            report = apply_pending_changes(backend=search_backend, batch_size=batch_size)
            if report.applied_changes or report.error or not loop:
                self.stdout.write(
                    f"Applied {report.applied_changes} changes ({report.datasets} datasets); "
                    f"{SearchChange.objects.count()} pending."
                )
            if not loop:
                if report.error:
                    raise CommandError(f"Sync stopped, changes kept for the next run: {report.error}")
                return
            if report.error:
                self.stderr.write(f"Sync failed, will retry: {report.error}")
            time.sleep(interval)
