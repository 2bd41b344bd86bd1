"""``manage.py outbox_worker``: deliver the outbox (search sync, e-mail, notifications)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from harmony.outbox.models import OutboxMessage
from harmony.outbox.registry import handlers
from harmony.outbox.worker import run_worker


class Command(BaseCommand):
    help = "Deliver due outbox messages of every kind, retrying failures with backoff. Runs until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass over the due messages, then exit")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between passes (default 2)")
        parser.add_argument("--kind", action="append", help="only this kind (repeatable; default: every kind)")

    def handle(self, *args: Any, once: bool, interval: float, kind: list[str] | None, **options: Any) -> None:
        known = {handler.kind for handler in handlers()}
        unknown = set(kind or ()) - known
        if unknown:
            raise CommandError(
                f"Unknown outbox kind(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}."
            )
        if interval <= 0:
            raise CommandError("--interval must be positive.")
        if not once:
            self.stdout.write(f"Outbox worker delivering {', '.join(sorted(kind or known))} (Ctrl-C to stop).")
        try:
            report = run_worker(once=once, interval=interval, kinds=set(kind) if kind else None)
        except KeyboardInterrupt:
            return
        pending = OutboxMessage.objects.pending().count()
        self.stdout.write(f"Delivered {report.total_delivered}, failed {report.total_failed}; {pending} pending.")
        for failed_kind, error in sorted(report.errors.items()):
            self.stderr.write(f"{failed_kind}: {error}")
        if report.total_failed:
            raise CommandError("Some messages failed; they will be retried with backoff.")
