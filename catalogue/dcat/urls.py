"""DCAT-AP endpoints, mounted under /api/v1/ (harmony/urls.py)."""

from django.urls import re_path

from catalogue.dcat import views

FORMATS = r"(?P<fmt>ttl|jsonld|rdf)"

urlpatterns = [
    re_path(rf"^dcat/catalog\.{FORMATS}$", views.catalog, name="dcat-catalog"),
    re_path(rf"^dcat/datasets/(?P<slug>[-\w]+)\.{FORMATS}$", views.dataset, name="dcat-dataset"),
]
