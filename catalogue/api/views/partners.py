"""Partners (read-only: administrators manage them in the Django admin) and the current user's memberships."""

from __future__ import annotations

from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalogue.api.filters import PartnerFilter
from catalogue.api.pagination import CataloguePagination
from catalogue.api.serializers import MembershipSerializer, MeSerializer, PartnerSerializer
from catalogue.models import DatasetStatus, Partner
from catalogue.selectors import partners_curated_by


@extend_schema(tags=["partners"])
class PartnerViewSet(viewsets.ReadOnlyModelViewSet):
    """Member organisations of the alliance; filter by ``country`` and ``kind``."""

    queryset = Partner.objects.annotate(
        published_dataset_count=Count("datasets", filter=Q(datasets__status=DatasetStatus.PUBLISHED))
    ).order_by("name")
    serializer_class = PartnerSerializer
    filterset_class = PartnerFilter
    pagination_class = CataloguePagination
    lookup_field = "slug"


@extend_schema(tags=["me"])
class MeView(APIView):
    """The signed-in user, their memberships (partner and role) and the partners whose datasets they curate."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        memberships = request.user.memberships.select_related("partner")
        curated = list(partners_curated_by(request.user).values_list("slug", flat=True))
        data = MeSerializer.data_for(request.user, MembershipSerializer(memberships, many=True).data, curated)
        return Response(data)
