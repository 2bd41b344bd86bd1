"""Read-only controlled vocabularies and the data dictionary template."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from catalogue.api.filters import ConceptFilter
from catalogue.api.pagination import CataloguePagination
from catalogue.api.serializers import (
    ConceptSerializer,
    DataTypeSerializer,
    DiseaseAreaSerializer,
    DuoTermSerializer,
    MondoTermDetailSerializer,
)
from catalogue.importers.template import CONTENT_TYPES, dictionary_template
from catalogue.models import Concept, DataType, DiseaseArea, DuoTerm, MondoTerm


@extend_schema(tags=["vocabularies"])
class DuoTermViewSet(viewsets.ReadOnlyModelViewSet):
    """GA4GH Data Use Ontology terms: permissions (one per consent) and modifiers."""

    queryset = DuoTerm.objects.all()
    serializer_class = DuoTermSerializer
    pagination_class = None
    filterset_fields = ["kind"]
    lookup_value_regex = r"DUO:\d{7}"


@extend_schema(tags=["vocabularies"])
class DiseaseAreaViewSet(viewsets.ReadOnlyModelViewSet):
    """Hematologic malignancies with ICD-10 and ICD-O-3 codes, their MONDO term and DOID; subtypes name their
    parent."""

    queryset = DiseaseArea.objects.select_related("parent", "mondo")
    serializer_class = DiseaseAreaSerializer
    pagination_class = None
    lookup_field = "code"


@extend_schema(tags=["vocabularies"])
class MondoTermViewSet(viewsets.ReadOnlyModelViewSet):
    """The shipped MONDO hematology subset (CC BY 4.0): the diseases a DS consent or a disease-specific use may
    name, with their DOID and their parents within the subset (a consent on a term admits research on its
    descendants)."""

    queryset = MondoTerm.objects.prefetch_related("parents")
    serializer_class = MondoTermDetailSerializer
    pagination_class = None
    lookup_value_regex = r"MONDO:\d{7}"


@extend_schema(tags=["vocabularies"])
class DataTypeViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = DataType.objects.all()
    serializer_class = DataTypeSerializer
    pagination_class = None
    lookup_field = "code"


@extend_schema(tags=["vocabularies"])
class ConceptViewSet(viewsets.ReadOnlyModelViewSet):
    """Standard concepts (OMOP, LOINC, SNOMED CT, ICD-10, HGNC) that variables map to."""

    queryset = Concept.objects.all()
    serializer_class = ConceptSerializer
    pagination_class = CataloguePagination
    filterset_class = ConceptFilter


@extend_schema(
    tags=["datasets"],
    summary="Download the data dictionary template",
    parameters=[OpenApiParameter("fmt", OpenApiTypes.STR, OpenApiParameter.PATH, enum=["csv", "xlsx"])],
    responses={(200, "text/csv"): OpenApiTypes.BINARY, (200, CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY},
)
@api_view(["GET"])
@permission_classes([AllowAny])
def dictionary_template_view(request: HttpRequest, fmt: str) -> HttpResponse:
    """The CSV or XLSX template for data dictionary imports, with example rows (the XLSX documents the columns)."""
    if fmt not in CONTENT_TYPES:
        raise Http404("Use csv or xlsx.")
    response = HttpResponse(dictionary_template(fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="harmony-data-dictionary-template.{fmt}"'
    return response
