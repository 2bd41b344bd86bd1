"""Answering "search is unavailable" (503) instead of a server error while the search backend is down."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from catalogue.search.backends.base import SearchUnavailable

logger = logging.getLogger(__name__)

SEARCH_UNAVAILABLE_MESSAGE = "Search is temporarily unavailable. Please try again in a few minutes."
RETRY_AFTER_SECONDS = 30


class SearchUnavailableMiddleware:
    """Every search endpoint, page or API, answers 503 when a backend raises :class:`SearchUnavailable`.

    API paths (``/api/``) get the API's error shape ``{"detail": …, "code": "search_unavailable"}``;
    pages get a friendly page. DRF re-raises exceptions it does not know, so one middleware covers
    both without touching each view. ``Retry-After`` tells clients when to come back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, SearchUnavailable):
            return None
        logger.warning("search unavailable for %s: %s", request.path, exception)
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                {"detail": SEARCH_UNAVAILABLE_MESSAGE, "code": "search_unavailable"}, status=503
            )
        else:
            response = render(
                request,
                "catalogue/search/unavailable.html",
                {"message": SEARCH_UNAVAILABLE_MESSAGE},
                status=503,
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
