"""Remind DAC members about items waiting for their vote longer than their DAC's target (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from governance.services import reminders_send


class Command(BaseCommand):
    help = "Send reminders for items under review longer than their DAC's target_days (at most one a day per item)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = reminders_send()
        self.stdout.write(f"Reminders sent for {count} item(s).")
