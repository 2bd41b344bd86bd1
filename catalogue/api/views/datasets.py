"""Datasets: browse what you may see; curators of the owning partner register, edit, publish and retire."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from catalogue.api.filters import DatasetFilter
from catalogue.api.pagination import CataloguePagination
from catalogue.api.serializers import (
    DatasetDetailSerializer,
    DatasetSerializer,
    DatasetUpdateSerializer,
    DatasetWriteSerializer,
)
from catalogue.models import Consent, Dataset, DatasetStatus
from catalogue.selectors import dataset_for_user, datasets_visible_to
from catalogue.services.datasets import dataset_create, dataset_publish, dataset_retire, dataset_update


def dataset_detail(slug: str, user) -> Dataset:  # type: ignore[no-untyped-def]
    """The dataset as the detail serializer shows it: visible to ``user`` (404 otherwise), parts prefetched."""
    dataset = dataset_for_user(slug, user)
    prefetch_related_objects(
        [dataset],
        Prefetch(
            "consents",
            queryset=Consent.objects.select_related("permission").prefetch_related("modifiers__term", "diseases"),
        ),
        "distributions",
    )
    return dataset


@extend_schema_view(
    list=extend_schema(
        summary="List datasets",
        description="Published datasets for everyone; curators also see their partners' drafts "
        "(and retired datasets with ``status=retired``).",
    ),
    retrieve=extend_schema(summary="A dataset with its consents and distributions"),
    create=extend_schema(
        summary="Register a draft dataset (curators of the partner)",
        request=DatasetWriteSerializer,
        responses={201: DatasetDetailSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a dataset's description (curators of the owning partner)",
        request=DatasetUpdateSerializer,
        responses=DatasetDetailSerializer,
    ),
)
@extend_schema(tags=["datasets"])
class DatasetViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    lookup_field = "slug"
    filterset_class = DatasetFilter
    pagination_class = CataloguePagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Dataset]:
        include_retired = self.request.query_params.get("status") == DatasetStatus.RETIRED
        return datasets_visible_to(self.request.user, include_retired=include_retired)

    def get_object(self) -> Dataset:
        return dataset_detail(self.kwargs["slug"], self.request.user)

    def get_serializer_class(self) -> type[BaseSerializer]:
        return {
            "list": DatasetSerializer,
            "create": DatasetWriteSerializer,
            "partial_update": DatasetUpdateSerializer,
        }.get(self.action, DatasetDetailSerializer)

    def create(self, request: Request) -> Response:
        serializer = DatasetWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        dataset = dataset_create(actor=request.user, partner=fields.pop("partner"), **fields)
        return Response(self._detail(dataset), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, slug: str) -> Response:
        dataset = self.get_object()
        serializer = DatasetUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        dataset = dataset_update(actor=request.user, dataset=dataset, **serializer.validated_data)
        return Response(self._detail(dataset))

    @extend_schema(request=None, responses=DatasetDetailSerializer, summary="Publish a draft (draft → published)")
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, slug: str) -> Response:
        dataset = dataset_publish(actor=request.user, dataset=self.get_object())
        return Response(self._detail(dataset))

    @extend_schema(request=None, responses=DatasetDetailSerializer, summary="Retire a dataset (published → retired)")
    @action(detail=True, methods=["post"])
    def retire(self, request: Request, slug: str) -> Response:
        dataset = dataset_retire(actor=request.user, dataset=self.get_object())
        return Response(self._detail(dataset))

    def _detail(self, dataset: Dataset) -> dict:
        return DatasetDetailSerializer(dataset_detail(dataset.slug, self.request.user)).data
