"""Search pages: the faceted search page and the feasibility page. Thin: validate, call a selector, render.

Parameters are validated by the same serializers as the API, so a URL copied from the page
means the same thing to the API (``/search/?q=…&disease=AML`` ↔ ``/api/v1/search/datasets/?q=…&disease=AML``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from catalogue.models import DiseaseArea
from catalogue.search import selectors
from catalogue.search.api.serializers import (
    DatasetSearchParamsSerializer,
    FeasibilityParamsSerializer,
    IntendedUseParamsSerializer,
    SuggestParamsSerializer,
    VariableSearchParamsSerializer,
)
from catalogue.search.backends.base import MAX_RESULT_WINDOW, SORTS
from catalogue.search.facets import FACET_LABELS
from catalogue.search.intended_use import ADMITTED, verdicts_for
from catalogue.search.intended_use_inputs import USE_PARAMS, intended_use_controls, remember_use, stated_use

SORT_LABELS = {"relevance": _("Relevance"), "patients": _("Most patients"), "updated": _("Recently updated")}
# The search languages in their own names (the select offers them to readers of that language).
LANGUAGE_NAMES = {
    "da": "Dansk",
    "de": "Deutsch",
    "en": "English",
    "es": "Español",
    "fi": "Suomi",
    "fr": "Français",
    "it": "Italiano",
    "nl": "Nederlands",
    "pt": "Português",
    "sv": "Svenska",
}
KINDS = ("datasets", "variables")
#: The feasibility page's example: a gene, a variable's label and a laboratory code that the demo catalogue's AML
#: datasets all hold (tests/search/test_feasibility_example.py keeps it finding something).
FEASIBILITY_EXAMPLE = ("HGNC:NPM1", "FLT3-ITD status", "LOINC:6690-2")


class _ResultCount(Sequence[int]):
    """Stands in for the result list so Django's Paginator can page over a total it did not count."""

    def __init__(self, total: int) -> None:
        self.total = total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        return range(self.total)[index]


def _last_reachable_page(total: int, page_size: int) -> int:
    """The last page holding results of a ``total``-result search, within the backends' pageable window; 1 when
    nothing matches."""
    return max(1, min(math.ceil(total / page_size), MAX_RESULT_WINDOW // page_size))


def _page(total: int, number: int, page_size: int) -> Page:
    return Paginator(_ResultCount(total), page_size).get_page(number)


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """Datasets or variables (``?kind=``) matching ``q`` and the ticked facets, with live counts."""
    kind = request.GET.get("kind") if request.GET.get("kind") in KINDS else "datasets"
    serializer_class = VariableSearchParamsSerializer if kind == "variables" else DatasetSearchParamsSerializer
    query = stated_use(request)
    params = serializer_class(data=query)
    # A page past the pageable window is not a mistake in the search: answer with the results' real last page
    # (below) rather than a 10,000-result limit that a 15-result search never reaches.
    past_window = not params.is_valid() and set(params.errors) == {"page"} and query.get("page", "0").isdigit()
    past_window = past_window and int(query["page"]) > 1
    if past_window:
        query["page"] = "1"
        params = serializer_class(data=query)
    context: dict[str, object] = {
        "kind": kind,
        "kinds": KINDS,
        "sorts": [(s, SORT_LABELS[s]) for s in SORTS],
        "languages": sorted(LANGUAGE_NAMES.items(), key=lambda item: item[1]),
        "live_url": request.path,
    }
    if not params.is_valid():
        context.update(
            errors={name: messages for name, messages in params.errors.items() if name not in USE_PARAMS},
            controls=intended_use_controls(query, params.errors),
            q=request.GET.get("q", ""),
        )
        return render(request, "catalogue/search/search.html", context, status=400)
    remember_use(request, query)
    # The CSV holds what the page shows, with a remembered intended use written into its address.
    context.update(controls=intended_use_controls(query), export_query=query.urlencode())
    data = params.validated_data
    if kind == "variables":
        search = selectors.search_variables
    else:
        # The page lists each dataset's matching variables (the API does so when asked).
        search = functools.partial(selectors.search_datasets, with_matched_variables=True)
    intended_use = params.intended_use(request.user)
    results = search(
        user=request.user,
        text=data["q"],
        filters=params.filters(),
        sort=data["sort"],
        page=data["page"],
        page_size=data["page_size"],
        include_retired=data["include_retired"],
        language=data["lang"],
        intended_use=intended_use,
        use_verdicts=data.get("use_verdict", ()),
    )
    last_page = _last_reachable_page(results.total, data["page_size"])
    if past_window or data["page"] > last_page:
        query["page"] = str(last_page)
        return redirect(f"{request.path}?{query.urlencode()}")
    context.update(
        intended_use=intended_use,
        admitted_only=ADMITTED in data.get("use_verdict", ()),
        q=data["q"],
        sort=data["sort"],
        lang=data["lang"],
        include_retired=data["include_retired"],
        results=results,
        facets=[(name, FACET_LABELS[name], counts) for name, counts in results.facets.items() if counts],
        page=_page(results.total, data["page"], data["page_size"]),
        filtered=bool(params.filters()),
    )
    return render(request, "catalogue/search/search.html", context)


@require_GET
def suggestions(request: HttpRequest) -> HttpResponse:
    """The ``<datalist>`` of as-you-type suggestions for the search box (fetched by htmx)."""
    params = SuggestParamsSerializer(data=request.GET)
    found = selectors.suggest(user=request.user, prefix=params.validated_data["q"]) if params.is_valid() else []
    return render(request, "catalogue/search/_suggestions.html", {"suggestions": found})


@require_GET
def feasibility_page(request: HttpRequest) -> HttpResponse:
    """Which datasets hold all of these variables? Concepts one per line (``concepts``) or repeated ``concept``;
    with an intended use (the shared ``use_*`` controls), whether each dataset's consents admit it."""
    data = stated_use(request)
    lines = [line.strip() for line in data.get("concepts", "").splitlines() if line.strip()]
    if lines:
        data.setlist("concept", lines)
    context: dict[str, object] = {
        "concepts_text": "\n".join(data.getlist("concept")),
        "diseases": DiseaseArea.objects.order_by("name"),
        "values": request.GET,
        "example": FEASIBILITY_EXAMPLE,
    }
    use_params = IntendedUseParamsSerializer(data=data)
    use_valid = use_params.is_valid()
    context["controls"] = intended_use_controls(data, None if use_valid else use_params.errors)
    if use_valid:
        remember_use(request, data)
    if not data.getlist("concept"):
        return render(request, "catalogue/search/feasibility.html", context, status=200 if use_valid else 400)
    params = FeasibilityParamsSerializer(data=data)
    if not params.is_valid() or not use_valid:
        context["errors"] = params.errors if not params.is_valid() else {}
        return render(request, "catalogue/search/feasibility.html", context, status=400)
    validated = params.validated_data
    result = selectors.feasibility(
        user=request.user,
        concepts=validated["concept"],
        min_patients=validated.get("min_patients"),
        disease=validated.get("disease"),
        include_retired=validated["include_retired"],
        limit=validated["limit"],
    )
    context["concepts"] = validated["concept"]
    datasets = result.datasets
    intended_use = use_params.intended_use(request.user)
    verdicts = verdicts_for(intended_use, [row.dataset["id"] for row in datasets]) if intended_use else {}
    context.update(result=result, intended_use=intended_use)
    context["rows"] = [(row, verdicts.get(row.dataset["id"])) for row in datasets]
    return render(request, "catalogue/search/feasibility.html", context)
