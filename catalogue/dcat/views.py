"""DCAT-AP endpoints: the catalogue (paged) and one dataset, in Turtle, JSON-LD and RDF/XML.

Published datasets only, for everyone (the same rule as the dataset pages). The dataset page itself answers
with RDF when the client prefers it (content negotiation, catalogue.views.public.dataset_detail).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from catalogue.dcat.export import PAGE_SIZE, catalog_graph, dataset_graph, serialise
from catalogue.models import Dataset, DatasetStatus
from harmony.errors import error_body


def _page_number(request: HttpRequest) -> int | None:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and int(raw) >= 1 else None


@require_safe
def catalog(request: HttpRequest, fmt: str) -> HttpResponse:
    page = _page_number(request)
    if page is None:
        body = error_body(
            _("Invalid input."), "invalid", fields={"page": [_("A page number is a whole number from 1.")]}
        )
        return JsonResponse(body, status=400)
    path = reverse("dcat-catalog", args=[fmt])

    def page_url(number: int) -> str:
        return request.build_absolute_uri(f"{path}?page={number}")

    result = catalog_graph(page=page, page_size=PAGE_SIZE, page_url=page_url)
    if page > result.last_page:
        return JsonResponse(error_body(f"There are {result.last_page} pages.", "not_found"), status=404)
    data, content_type = serialise(result.graph, fmt)
    return HttpResponse(data, content_type=content_type)


@require_safe
def dataset(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    found = get_object_or_404(Dataset, slug=slug, status=DatasetStatus.PUBLISHED)
    data, content_type = serialise(dataset_graph(found), fmt)
    return HttpResponse(data, content_type=content_type)
