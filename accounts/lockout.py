"""What a locked-out client sees (django-axes ``AXES_LOCKOUT_CALLABLE``): a page for browsers, the API's
error for API clients, both ``429 Too Many Requests`` with ``Retry-After``."""

from __future__ import annotations

import math

from axes.helpers import get_cool_off
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def retry_after_seconds(request: HttpRequest) -> int:
    """Seconds until the cool-off ends (from the configured ``AXES_COOLOFF_TIME``), at least 1."""
    cool_off = get_cool_off(request)
    return max(1, math.ceil(cool_off.total_seconds())) if cool_off else 1


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The lockout page: why sign-in is refused and when to try again; never says whether the password was right."""
    seconds = retry_after_seconds(request)
    response = render(
        request, "accounts/locked_out.html", {"cooloff_minutes": max(1, math.ceil(seconds / 60))}, status=429
    )
    response["Retry-After"] = str(seconds)
    return response
