"""DCAT-AP endpoints, mounted under /api/v1/ (harmony/urls.py)."""

from django.urls import path, re_path

from catalogue.dcat import views
from catalogue.dcat.api import HarvestView

FORMATS = r"(?P<fmt>ttl|jsonld|rdf)"

urlpatterns = [
    re_path(rf"^dcat/catalog\.{FORMATS}$", views.catalog, name="dcat-catalog"),
    path("dcat/harvest/", HarvestView.as_view(), name="dcat-harvest"),
    re_path(rf"^dcat/datasets/(?P<slug>[-\w]+)\.{FORMATS}$", views.dataset, name="dcat-dataset"),
]
