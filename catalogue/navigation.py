"""The catalogue's entries of the main navigation (registered with ``ui`` in ``CatalogueConfig.ready``)."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from catalogue.selectors import partners_curated_by
from ui.registry import NavLink


def catalogue_nav(request: HttpRequest) -> Iterator[NavLink]:
    """Catalogue and Partners for everyone; "My datasets" for curators (one query)."""
    yield NavLink(_("Catalogue"), reverse("dataset_list"), order=10)
    yield NavLink(_("Partners"), reverse("partner_list"), order=40)
    if request.user.is_authenticated and partners_curated_by(request.user).exists():
        yield NavLink(_("My datasets"), reverse("my_datasets"), order=80)


def search_nav(request: HttpRequest) -> Iterator[NavLink]:
    """Search and feasibility, for everyone."""
    yield NavLink(_("Search"), reverse("search:search"), order=20, exact=True)
    yield NavLink(_("Feasibility"), reverse("search:feasibility"), order=30)
