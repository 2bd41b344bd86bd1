"""Extension points of the site chrome, filled by apps in ``AppConfig.ready()``.

- **Navigation**: an app registers a provider, a function of the request that returns the links it contributes
  (by role, e.g. "Review queue" for committee members). The main navigation shows every provider's links, sorted
  by ``NavLink.order``.
- **Page slots**: a template of one app declares a named slot (``{% ui_slot "dataset_access" %}``); another app
  registers a template fragment for it, rendered with the page's context. The dataset page's "Request access"
  buttons are governance's fragment in the catalogue's slot, so the catalogue renders with governance removed.

Registration is idempotent (the same provider or template is kept once), since ``ready()`` may run again in tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class NavLink:
    """One entry of the main navigation. ``exact``: marked current only on that very path, not below it."""

    label: str
    url: str
    order: int = 100
    exact: bool = False


NavProvider = Callable[[HttpRequest], Iterable[NavLink]]

_nav_providers: list[NavProvider] = []
_slot_templates: dict[str, list[tuple[int, str]]] = {}


def register_nav(provider: NavProvider) -> None:
    """Add ``provider`` to the main navigation (once)."""
    if provider not in _nav_providers:
        _nav_providers.append(provider)


def nav_links(request: HttpRequest) -> list[NavLink]:
    """Every registered provider's links for this request, in ``order`` (stable for equal orders)."""
    links = [link for provider in _nav_providers for link in provider(request)]
    return sorted(links, key=lambda link: link.order)


def register_slot_template(slot: str, template_name: str, *, order: int = 100) -> None:
    """Render ``template_name`` wherever a page declares ``slot`` (once per template)."""
    entries = _slot_templates.setdefault(slot, [])
    if all(name != template_name for _, name in entries):
        entries.append((order, template_name))
        entries.sort()


def slot_templates(slot: str) -> list[str]:
    """The templates registered for ``slot``, in order; empty when no installed app fills it."""
    return [name for _, name in _slot_templates.get(slot, [])]
