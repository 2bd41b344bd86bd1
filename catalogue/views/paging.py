"""Paging and sorting from GET parameters, shared by list pages."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(request: HttpRequest, queryset: QuerySet, *, per_page: int) -> Page:
    """The page named by ``?page=`` (the last page if it is too large, the first if it is not a number)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def sort_from(request: HttpRequest, allowed: dict[str, str], default: str) -> tuple[str, str]:
    """``(sort, order_by)`` for ``?sort=key`` or ``?sort=-key``; unknown keys fall back to ``default`` (ascending)."""
    requested = request.GET.get("sort", default)
    descending = requested.startswith("-")
    key = requested.lstrip("-")
    if key not in allowed:
        requested, descending, key = default, False, default
    field = allowed[key]
    return requested, f"-{field}" if descending else field
