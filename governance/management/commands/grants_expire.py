"""End the access grants whose last day has passed (run daily; downloads also check expiry themselves)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from governance.workflow import grants_expire


class Command(BaseCommand):
    help = "Expire access grants whose validity has ended (released → expired), audited and notified."

    def handle(self, *args: Any, **options: Any) -> None:
        count = grants_expire()
        self.stdout.write(f"{count} grant(s) expired.")
