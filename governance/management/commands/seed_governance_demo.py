"""Add the governance demo (DACs, DAC users, example requests) on top of seed_demo's catalogue."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.test.utils import override_settings

from governance.demo import DEMO_DAC_USERS, DEMO_PASSWORD, seed_governance_demo


class Command(BaseCommand):
    help = "Create DACs for the demo partners, the dac-chair/dac-member/dac-secretary users and example requests."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--print-logins", action="store_true", help="Only print the DAC demo logins.")

    def handle(self, *args: Any, print_logins: bool = False, **options: Any) -> None:
        if print_logins:
            for username, role in DEMO_DAC_USERS:
                self.stdout.write(
                    f"  {username:<16} {role.label} of the Heidelberg (UKHD) demo DAC (password {DEMO_PASSWORD})"
                )
            return
        # Demo people must not be e-mailed: their notifications stay in the in-app inbox only.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            report = seed_governance_demo()
        if report.skipped and not report.requests_created and not report.dacs_created:
            self.stdout.write(self.style.WARNING(report.skipped))
            return
        self.stdout.write(
            f"{report.dacs_created} DAC(s) created; users created: {', '.join(report.users_created) or 'none'}; "
            f"{report.staff_seated} committee seat(s) staffed."
        )
        for title, state in report.requests_created.items():
            self.stdout.write(f"  request “{title}” → {state}")
        if report.skipped:
            self.stdout.write(self.style.WARNING(report.skipped))
