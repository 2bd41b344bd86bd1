"""Harvest a partner's DCAT-AP catalogue (file or URL) into draft datasets: a thin wrapper over
catalogue.dcat.harvest.harvest_catalogue (for a scheduled job, or a one-off import)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from catalogue.dcat.harvest import harvest_catalogue, read_source
from catalogue.models import Partner
from harmony.errors import ServiceError


class Command(BaseCommand):
    help = "Import a partner's DCAT-AP catalogue (Turtle, JSON-LD or RDF/XML; a file or an http(s) URL) as drafts."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("source", help="A file path or an http(s) URL.")
        parser.add_argument("--partner", required=True, help="Slug of the partner the datasets belong to.")
        parser.add_argument("--as", dest="username", required=True, help="Curator of the partner doing the import.")
        parser.add_argument("--format", default="", choices=["", "ttl", "jsonld", "rdf"], help="Default: detected.")

    def handle(self, *args: Any, source: str, partner: str, username: str, format: str, **options: Any) -> None:
        found = Partner.objects.filter(slug=partner).first()
        if found is None:
            raise CommandError(f"No partner with the slug '{partner}'.")
        actor = get_user_model().objects.filter(username=username).first()
        if actor is None:
            raise CommandError(f"No user named '{username}'.")
        try:
            if source.startswith(("http://", "https://")):
                data = read_source(url=source)
            else:
                path = Path(source)
                if not path.is_file():
                    raise CommandError(f"No file at {source}.")
                data = path.read_bytes()
            report = harvest_catalogue(actor=actor, partner=found, data=data, fmt=format)
        except ServiceError as error:
            details = [message for messages in error.fields.values() for message in messages]
            raise CommandError(" ".join([error.message, *error.reasons, *details])) from error
        self.stdout.write(f"Created {len(report.created)} draft dataset(s): {', '.join(report.created) or '—'}")
        for line in report.skipped:
            self.stdout.write(f"Skipped {line}")
        for name, count in sorted(report.unmapped.items()):
            self.stdout.write(f"Not mapped: {name} ({count} times)")
