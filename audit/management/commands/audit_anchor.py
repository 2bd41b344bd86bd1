"""Verify the audit trail and append its head to the anchor log (run periodically: README)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.anchors import anchor_path
from audit.chain import ChainProblem
from audit.services import anchor_trail


class Command(BaseCommand):
    help = "Append the verified head of the audit chain to the anchor log (refuses, exit 1, if the trail is tampered)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = anchor_trail()
        if isinstance(result, ChainProblem):
            raise CommandError(f"Audit trail tampered, not anchored: {result.message}.")
        self.stdout.write(
            self.style.SUCCESS(f"Anchored event #{result.seq} ({result.count} events) in {anchor_path()}.")
        )
