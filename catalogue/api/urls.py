"""Catalogue REST API, mounted at /api/v1/ (harmony/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from catalogue.api.views.dataset_parts import ConsentViewSet, DistributionViewSet, VariableViewSet
from catalogue.api.views.datasets import DatasetViewSet
from catalogue.api.views.partners import MeView, PartnerViewSet
from catalogue.api.views.reference import (
    ConceptViewSet,
    DataTypeViewSet,
    DiseaseAreaViewSet,
    DuoTermViewSet,
    MondoTermViewSet,
    dictionary_template_view,
)

DATASET = r"datasets/(?P<dataset_slug>[-\w]+)"

router = SimpleRouter()
router.register("partners", PartnerViewSet, basename="partner")
router.register("datasets", DatasetViewSet, basename="dataset")
router.register(f"{DATASET}/variables", VariableViewSet, basename="dataset-variable")
router.register(f"{DATASET}/consents", ConsentViewSet, basename="dataset-consent")
router.register(f"{DATASET}/distributions", DistributionViewSet, basename="dataset-distribution")
router.register("duo-terms", DuoTermViewSet, basename="duo-term")
router.register("disease-areas", DiseaseAreaViewSet, basename="disease-area")
router.register("mondo-terms", MondoTermViewSet, basename="mondo-term")
router.register("data-types", DataTypeViewSet, basename="data-type")
router.register("concepts", ConceptViewSet, basename="concept")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("dictionary-template/<str:fmt>/", dictionary_template_view, name="dictionary-template"),
    *router.urls,
]
