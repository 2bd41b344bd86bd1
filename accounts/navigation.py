"""The accounts app's entry of the main navigation."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpRequest
from django.urls import reverse

from ui.registry import NavLink


def accounts_nav(request: HttpRequest) -> Iterator[NavLink]:
    """ "API tokens" for every signed-in user."""
    if request.user.is_authenticated:
        yield NavLink("API tokens", reverse("accounts:tokens"), order=95)
