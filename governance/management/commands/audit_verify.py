"""Recompute the audit trail's hash chain; exit non-zero naming the first bad event."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from governance.audit import verify_chain
from governance.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the hash chain of the governance audit trail (exit status 1 at the first tampered event)."

    def handle(self, *args: Any, **options: Any) -> None:
        problem = verify_chain()
        if problem is not None:
            raise CommandError(f"Audit trail tampered: {problem.message}.")
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {AuditEvent.objects.count()} events verified."))
