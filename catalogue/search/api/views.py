"""Search API views: validate the query parameters, call one selector, serialize. Rules live in the selectors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_orjson_renderer.renderers import ORJSONRenderer
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from catalogue.search import selectors
from catalogue.search.api import payloads
from catalogue.search.api.serializers import (
    DatasetSearchParamsSerializer,
    DatasetSearchResponseSerializer,
    FeasibilityParamsSerializer,
    FeasibilityResponseSerializer,
    SearchSuggestionSerializer,
    SuggestParamsSerializer,
    SuggestResponseSerializer,
    VariableSearchParamsSerializer,
    VariableSearchResponseSerializer,
)
from catalogue.search.backends.base import Hit, SearchResults

BAD_PARAMETERS = OpenApiResponse(description="Invalid parameters: a message per field.")
VISIBILITY_NOTE = (
    " Published datasets for everyone; drafts (and, with include_retired, retired datasets) "
    "only for curators of their partner and administrators."
)


# orjson encodes a search response (20 hits, up to 11 facets of 100 values) in a tenth of the time of the json
# module behind DRF's JSONRenderer; the same JSON for these responses (strings, numbers, booleans, nulls).
SEARCH_RENDERERS = [ORJSONRenderer, BrowsableAPIRenderer]


def _params(serializer_class: type[Serializer], request: Request) -> Serializer:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer


def _search_response(
    results: SearchResults, params: dict[str, Any], hit_data: Callable[[Hit], dict[str, Any]]
) -> Response:
    return Response(
        {
            "count": results.total,
            "page": params["page"],
            "page_size": params["page_size"],
            # Built by hand (documented by the hit serializers, equal to their output: catalogue.search.api.payloads).
            "results": [hit_data(hit) for hit in results.hits],
            "semantic": {"used": results.semantic_used, "note": results.semantic_note},
            # Built by hand (documented by SearchFacetCountSerializer): up to 11 facets of 100 values
            # per response made the serializer the slowest part of a search request.
            "facets": {
                name: [{"value": c.value, "label": c.label, "count": c.count, "selected": c.selected} for c in counts]
                for name, counts in results.facets.items()
            },
            "expanded_terms": results.expanded_terms,
            "did_you_mean": results.did_you_mean,
        }
    )


class DatasetSearchView(APIView):
    permission_classes = [AllowAny]
    renderer_classes = SEARCH_RENDERERS

    @extend_schema(
        operation_id="search_datasets",
        summary="Search datasets",
        description="Ranked, highlighted free-text search over datasets with live facet counts." + VISIBILITY_NOTE,
        parameters=[DatasetSearchParamsSerializer],
        responses={200: DatasetSearchResponseSerializer, 400: BAD_PARAMETERS},
        tags=["search"],
    )
    def get(self, request: Request) -> Response:
        params = _params(DatasetSearchParamsSerializer, request)
        data = params.validated_data
        results = selectors.search_datasets(
            user=request.user,
            text=data["q"],
            filters=params.filters(),
            sort=data["sort"],
            page=data["page"],
            page_size=data["page_size"],
            include_retired=data["include_retired"],
            with_facets=data["facets"],
            language=data["lang"],
            with_matched_variables=data["matched_variables"],
            intended_use=params.intended_use(request.user),
            use_verdicts=data.get("use_verdict", ()),
        )
        return _search_response(results, data, payloads.dataset_hit)


class VariableSearchView(APIView):
    permission_classes = [AllowAny]
    renderer_classes = SEARCH_RENDERERS

    @extend_schema(
        operation_id="search_variables",
        summary="Search variables",
        description=(
            "Ranked, highlighted free-text search over the variables of visible datasets; facets are those of "
            "the variables' datasets plus the value type." + VISIBILITY_NOTE
        ),
        parameters=[VariableSearchParamsSerializer],
        responses={200: VariableSearchResponseSerializer, 400: BAD_PARAMETERS},
        tags=["search"],
    )
    def get(self, request: Request) -> Response:
        params = _params(VariableSearchParamsSerializer, request)
        data = params.validated_data
        results = selectors.search_variables(
            user=request.user,
            text=data["q"],
            filters=params.filters(),
            sort=data["sort"],
            page=data["page"],
            page_size=data["page_size"],
            include_retired=data["include_retired"],
            with_facets=data["facets"],
            language=data["lang"],
            intended_use=params.intended_use(request.user),
            use_verdicts=data.get("use_verdict", ()),
        )
        return _search_response(results, data, payloads.variable_hit)


class SuggestView(APIView):
    permission_classes = [AllowAny]
    renderer_classes = SEARCH_RENDERERS

    @extend_schema(
        operation_id="search_suggest",
        summary="As-you-type suggestions",
        description=(
            "Dataset titles, variable names, concept names and disease names starting with what was typed "
            "(accents ignored), each text once."
        ),
        parameters=[SuggestParamsSerializer],
        responses={200: SuggestResponseSerializer, 400: BAD_PARAMETERS},
        tags=["search"],
    )
    def get(self, request: Request) -> Response:
        data = _params(SuggestParamsSerializer, request).validated_data
        suggestions = selectors.suggest(user=request.user, prefix=data["q"], limit=data["limit"])
        return Response({"suggestions": SearchSuggestionSerializer(suggestions, many=True).data})


class FeasibilityView(APIView):
    permission_classes = [AllowAny]
    renderer_classes = SEARCH_RENDERERS

    @extend_schema(
        operation_id="search_feasibility",
        summary="Feasibility search",
        description=(
            "Datasets that hold a variable for *every* concept given (repeat `concept`), optionally with at least "
            "`min_patients` patients and a disease area; with the matching variable per concept and the total "
            "patients of all matching datasets." + VISIBILITY_NOTE
        ),
        parameters=[FeasibilityParamsSerializer],
        responses={200: FeasibilityResponseSerializer, 400: BAD_PARAMETERS},
        tags=["search"],
    )
    def get(self, request: Request) -> Response:
        data = _params(FeasibilityParamsSerializer, request).validated_data
        result = selectors.feasibility(
            user=request.user,
            concepts=data["concept"],
            min_patients=data.get("min_patients"),
            disease=data.get("disease"),
            include_retired=data["include_retired"],
            limit=data["limit"],
        )
        return Response(FeasibilityResponseSerializer(result).data)
