"""Sign-in for people and API clients (floor 1 of ARCHITECTURE.md: imports only ``harmony`` and ``ui``).

- brute-force protection of the login form and of HTTP Basic (django-axes, configured in settings);
- personal access tokens for API clients (``Authorization: Bearer …``);
- each user's interface language (``language_for``, ``accounts.language``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def language_for(user: AbstractBaseUser | AnonymousUser | None) -> str:
    """The language to write to ``user`` in (e.g. a decision letter): their stored interface language, else
    ``settings.LANGUAGE_CODE``. Imported lazily: this package loads before the app registry is ready."""
    from accounts.language import language_for as _language_for

    return _language_for(user)
