"""Search API, mounted at /api/v1/ (harmony/urls.py)."""

from django.urls import path

from catalogue.search.api.views import DatasetSearchView, FeasibilityView, SuggestView, VariableSearchView

urlpatterns = [
    path("search/datasets/", DatasetSearchView.as_view(), name="api-search-datasets"),
    path("search/variables/", VariableSearchView.as_view(), name="api-search-variables"),
    path("search/suggest/", SuggestView.as_view(), name="api-search-suggest"),
    path("search/feasibility/", FeasibilityView.as_view(), name="api-search-feasibility"),
]
