"""``manage.py seed_demo [--scale N] [--reset] [--print-logins]``: the deterministic demo catalogue.

Idempotent: on a database that already has partners it seeds nothing and exits successfully (so
``make demo`` can run it every time); ``--reset`` replaces all catalogue data with a fresh demo.
``--print-logins`` only prints the demo users (password ``harmony-demo``) and exits.
Governance data (DACs, requests) is seeded by governance's own command, not here.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalogue.demo.seed import seed_catalogue
from catalogue.demo.users import DEMO_PASSWORD, demo_logins


class Command(BaseCommand):
    help = "Seed the deterministic demo catalogue (53 partners, datasets, variables, consents, demo users)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", type=int, default=1, help="multiply datasets and variables (1 ≈ 10,000 variables)"
        )
        parser.add_argument("--reset", action="store_true", help="delete all catalogue data first, then seed")
        parser.add_argument("--print-logins", action="store_true", help="only print the demo logins table")

    def handle(self, *args: Any, scale: int, reset: bool, print_logins: bool, **options: Any) -> None:
        if print_logins:
            self._print_logins()
            return
        if scale < 1:
            raise CommandError("--scale must be at least 1.")
        try:
            report = seed_catalogue(scale=scale, stdout=self.stdout, reset=reset)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()) if not report.skipped else report.summary())

    def _print_logins(self) -> None:
        users = demo_logins()
        width = max(len(user.username) for user in users)
        self.stdout.write(f"{'username'.ljust(width)}  role")
        for user in users:
            self.stdout.write(f"{user.username.ljust(width)}  {user.description}")
        self.stdout.write(f"(password for all: {DEMO_PASSWORD})")
