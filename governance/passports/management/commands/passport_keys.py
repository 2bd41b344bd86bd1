"""Manage the visa signing keys file (PASSPORT_SIGNING_KEYS_PATH): generate, rotate, retire, list."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from governance.passports.keys import new_key, stored_keys, write_keys


class Command(BaseCommand):
    help = "Generate, rotate or retire the RSA keys that sign GA4GH visas (old keys stay published until retired)."

    def add_arguments(self, parser: Any) -> None:
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--generate", action="store_true", help="Write a first key if there is none.")
        action.add_argument("--rotate", action="store_true", help="Sign with a new key; keep the others published.")
        action.add_argument("--retire", metavar="KID", help="Stop publishing a key (its visas stop verifying).")
        action.add_argument("--list", action="store_true", help="List the key ids, the signing key first.")

    def handle(self, *args: Any, generate: bool, rotate: bool, retire: str | None, list: bool, **options: Any) -> None:
        if settings.PASSPORT_SIGNING_JWKS:
            raise CommandError("The keys come from PASSPORT_SIGNING_JWKS; change that secret instead.")
        keys = stored_keys()
        if list:
            for key in keys:
                self.stdout.write(key["kid"])
            return
        if generate:
            if keys:
                self.stdout.write(f"A signing key exists already ({keys[0]['kid']}); nothing to do.")
                return
            keys = [new_key().as_dict(private=True)]
        elif rotate:
            keys = [new_key().as_dict(private=True), *keys]
        else:
            if retire not in {key["kid"] for key in keys}:
                raise CommandError(f"No key with the id {retire}.")
            if keys[0]["kid"] == retire:
                raise CommandError("That is the signing key; rotate first, then retire it.")
            keys = [key for key in keys if key["kid"] != retire]
        path = write_keys(keys)
        self.stdout.write(f"Signing key {keys[0]['kid']}; {len(keys)} key(s) published; written to {path}.")
