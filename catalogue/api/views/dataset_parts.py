"""What describes a dataset: its variables (and dictionary import), consents and distributions.

Every route is nested under ``datasets/{dataset_slug}/``: a dataset the user may not see is a 404
for all of them; writes are checked by the services (403 unless the user curates the owning partner).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import ngettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import filters, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from catalogue.api.pagination import CataloguePagination
from catalogue.api.serializers import (
    ConsentSerializer,
    DictionaryImportResultSerializer,
    DictionaryImportSerializer,
    DistributionSerializer,
    VariableSerializer,
)
from catalogue.importers.dictionary import import_data_dictionary
from catalogue.jobs import dictionary_import_runs_as_job, dictionary_import_start
from catalogue.models import Consent, Dataset, Distribution, Variable
from catalogue.selectors import dataset_for_user
from catalogue.services.consents import consent_create, consent_delete, consent_update, consent_withdraw
from catalogue.services.distributions import distribution_create, distribution_delete, distribution_update
from catalogue.services.variables import variable_create, variable_delete, variable_update
from harmony.errors import error_body
from harmony.jobs.views import JobAcceptedSerializer

DATASET_SLUG = OpenApiParameter("dataset_slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="Dataset slug.")


class DatasetPartMixin:
    """Resolves ``dataset_slug`` through the visibility selector once per request."""

    kwargs: dict[str, Any]
    request: Request

    @property
    def dataset(self) -> Dataset:
        if not hasattr(self, "_dataset"):
            self._dataset = dataset_for_user(self.kwargs["dataset_slug"], self.request.user)
        return self._dataset

    def is_schema_generation(self) -> bool:
        return getattr(self, "swagger_fake_view", False)


@extend_schema(tags=["variables"], parameters=[DATASET_SLUG])
@extend_schema_view(
    list=extend_schema(
        summary="List a dataset's variables",
        description="Search name/label/description with ``search``; sort with ``ordering`` "
        "(position, name, label, value_type, completeness; prefix ``-`` to reverse).",
        parameters=[DATASET_SLUG],
    ),
    create=extend_schema(summary="Add one variable", parameters=[DATASET_SLUG]),
)
class VariableViewSet(
    DatasetPartMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = VariableSerializer
    pagination_class = CataloguePagination
    filter_backends = [filters.SearchFilter, filters.OrderingFilter]
    search_fields = ["name", "label", "description"]
    ordering_fields = ["position", "name", "label", "value_type", "completeness"]
    ordering = ["position", "name"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Variable]:
        if self.is_schema_generation():
            return Variable.objects.none()
        return self.dataset.variables.prefetch_related("concepts")

    def create(self, request: Request, dataset_slug: str) -> Response:
        serializer = VariableSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        variable = variable_create(actor=request.user, dataset=self.dataset, **serializer.service_arguments())
        return Response(VariableSerializer(variable).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, dataset_slug: str, pk: str) -> Response:
        variable = self.get_object()
        serializer = VariableSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        variable = variable_update(actor=request.user, variable=variable, **serializer.service_arguments())
        return Response(VariableSerializer(variable).data)

    def destroy(self, request: Request, dataset_slug: str, pk: str) -> Response:
        variable_delete(actor=request.user, variable=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Import a data dictionary (CSV or XLSX); it replaces the dataset's variables",
        description="Validated as a whole first: any error → 400 with every error (row, column, message) and "
        "nothing written (the error's ``rows``). Variables are matched by name; those missing from the file "
        "are removed. Unknown columns are listed in ``warnings`` and their values ignored; with ``strict=true`` "
        "they are errors. "
        "A file larger than the server's job threshold (DICTIONARY_IMPORT_JOB_MIN_BYTES, about 2,000 rows) "
        "is imported by a background job: 202 with the job's URL (also in `Location`) to poll at "
        "`/api/v1/jobs/{id}/`; the job's report holds the same counts and errors, and a failed or cancelled "
        "job writes nothing.",
        parameters=[DATASET_SLUG],
        request={"multipart/form-data": DictionaryImportSerializer},
        responses={
            200: DictionaryImportResultSerializer,
            202: OpenApiResponse(
                response=JobAcceptedSerializer, description="Accepted: imported by a background job; poll `url`."
            ),
        },
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_dictionary(self, request: Request, dataset_slug: str) -> Response:
        serializer = DictionaryImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload, strict = serializer.validated_data["file"], serializer.validated_data["strict"]
        if dictionary_import_runs_as_job(upload):
            job = dictionary_import_start(actor=request.user, dataset=self.dataset, upload=upload, strict=strict)
            url = reverse("api-job", kwargs={"pk": job.pk})
            body = {"id": str(job.pk), "status": job.status, "url": request.build_absolute_uri(url)}
            return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": url})
        result = import_data_dictionary(
            actor=request.user, dataset=self.dataset, file=upload, filename=upload.name, strict=strict
        )
        if not result.ok:
            count = len(result.errors)
            body = error_body(
                ngettext(
                    "The dictionary has %(count)s error; nothing was imported.",
                    "The dictionary has %(count)s errors; nothing was imported.",
                    count,
                )
                % {"count": count},
                "invalid",
            )
            warnings = [warning.as_dict() for warning in result.warnings]
            return Response({**body, "rows": [error.as_dict() for error in result.errors], "warnings": warnings}, 400)
        body = DictionaryImportResultSerializer(
            {
                **vars(result),
                "errors": [error.as_dict() for error in result.errors],
                "warnings": [warning.as_dict() for warning in result.warnings],
            }
        ).data
        return Response(body, status=status.HTTP_200_OK)


@extend_schema(tags=["consents"], parameters=[DATASET_SLUG])
@extend_schema_view(
    list=extend_schema(summary="A dataset's consents (DUO data-use conditions)", parameters=[DATASET_SLUG]),
    create=extend_schema(summary="Add a consent", parameters=[DATASET_SLUG]),
)
class ConsentViewSet(
    DatasetPartMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ConsentSerializer
    pagination_class = None
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Consent]:
        if self.is_schema_generation():
            return Consent.objects.none()
        return self.dataset.consents.select_related("permission", "dataset__partner").prefetch_related(
            "modifiers__term", "diseases"
        )

    def create(self, request: Request, dataset_slug: str) -> Response:
        serializer = ConsentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consent = consent_create(actor=request.user, dataset=self.dataset, **serializer.service_arguments())
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, dataset_slug: str, pk: str) -> Response:
        consent = self.get_object()
        serializer = ConsentSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        consent = consent_update(actor=request.user, consent=consent, **serializer.service_arguments())
        return Response(ConsentSerializer(consent).data)

    def destroy(self, request: Request, dataset_slug: str, pk: str) -> Response:
        consent_delete(actor=request.user, consent=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=ConsentSerializer, summary="Withdraw a consent (ends live access grants)")
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, dataset_slug: str, pk: str) -> Response:
        consent = consent_withdraw(actor=request.user, consent=self.get_object())
        return Response(ConsentSerializer(self.get_queryset().get(pk=consent.pk)).data)


@extend_schema(tags=["distributions"], parameters=[DATASET_SLUG])
@extend_schema_view(
    list=extend_schema(
        summary="How a dataset's data can be obtained (metadata only; files are released by governance)",
        parameters=[DATASET_SLUG],
    ),
    create=extend_schema(
        summary="Add a distribution: a file upload (multipart) or an access URL",
        parameters=[DATASET_SLUG],
        request={"multipart/form-data": DistributionSerializer, "application/json": DistributionSerializer},
    ),
)
class DistributionViewSet(
    DatasetPartMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = DistributionSerializer
    pagination_class = None
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Distribution]:
        if self.is_schema_generation():
            return Distribution.objects.none()
        return self.dataset.distributions.select_related("dataset__partner")

    def create(self, request: Request, dataset_slug: str) -> Response:
        serializer = DistributionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        distribution = distribution_create(actor=request.user, dataset=self.dataset, **serializer.validated_data)
        return Response(DistributionSerializer(distribution).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, dataset_slug: str, pk: str) -> Response:
        """Change the title or media type; for an external distribution also its URL and size (a held file's
        bytes are fixed: upload a new distribution instead)."""
        serializer = DistributionSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        distribution = distribution_update(
            actor=request.user, distribution=self.get_object(), **serializer.validated_data
        )
        return Response(DistributionSerializer(distribution).data)

    def destroy(self, request: Request, dataset_slug: str, pk: str) -> Response:
        distribution_delete(actor=request.user, distribution=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
