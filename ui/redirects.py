"""Redirects to a ``next`` address given by the browser, only when it stays on this site."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The POSTed (or queried) ``next`` when it points to this host (and scheme, on HTTPS), else ``fallback``.

    Guarantees the result is never an absolute URL to another host, a scheme-relative ``//host`` address or a
    ``javascript:`` URL: the same test Django's login view applies (``url_has_allowed_host_and_scheme``).
    """
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def redirect_to_next(request: HttpRequest, fallback: str, *args: object) -> HttpResponseRedirect:
    """Redirect to a validated ``next``, else to ``fallback`` (a URL name resolved with ``args``, or a path)."""
    candidate = safe_next(request, "")
    if candidate:
        return HttpResponseRedirect(candidate)
    return redirect(fallback, *args)
