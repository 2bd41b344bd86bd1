"""Recompute the audit trail's keyed chain and check it reaches the latest anchor; exit 1 at the first problem."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.anchors import Anchor, anchor_path
from audit.chain import ChainProblem
from audit.models import AuditEvent
from audit.services import anchor_trail, verify_trail


class Command(BaseCommand):
    help = (
        "Verify the audit trail: the keyed hash chain and its head against the latest anchor "
        "(exit status 1 naming the first problem). --anchor also appends the verified head to the anchor log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--anchor", action="store_true", help="append the verified head to the anchor log")

    def handle(self, *args: Any, **options: Any) -> None:
        result = anchor_trail() if options["anchor"] else verify_trail()
        if isinstance(result, ChainProblem):
            raise CommandError(f"Audit trail tampered: {result.message}.")
        if isinstance(result, Anchor):
            self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {result.count} events verified and anchored."))
            return
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {AuditEvent.objects.count()} events verified."))
        if not anchor_path().exists():
            self.stdout.write(
                self.style.WARNING(
                    f"No anchor log at {anchor_path()}: deletion of the newest events cannot be detected "
                    "until `manage.py audit_anchor` has run."
                )
            )
