"""POST /api/v1/dcat/harvest/: a curator imports their partner's DCAT-AP catalogue as draft datasets."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalogue.dcat.harvest import harvest_catalogue, read_source
from catalogue.models import Partner


class HarvestInputSerializer(serializers.Serializer):
    partner = serializers.SlugRelatedField(slug_field="slug", queryset=Partner.objects.all())
    file = serializers.FileField(required=False, help_text="A DCAT-AP catalogue (Turtle, JSON-LD or RDF/XML).")
    url = serializers.URLField(required=False, help_text="Or the catalogue's http(s) URL.")
    format = serializers.ChoiceField(choices=["ttl", "jsonld", "rdf"], required=False, help_text="Default: detected.")

    def validate(self, attrs: dict) -> dict:
        if bool(attrs.get("file")) == bool(attrs.get("url")):
            raise serializers.ValidationError({"file": [_("Give either a file or a URL.")]})
        return attrs


HarvestReportSerializer = inline_serializer(
    "HarvestReport",
    {
        "created": serializers.ListField(child=serializers.CharField(), help_text="Slugs of the new drafts."),
        "skipped": serializers.ListField(child=serializers.CharField()),
        "unmapped": serializers.ListField(
            child=inline_serializer(
                "HarvestUnmapped", {"property": serializers.CharField(), "count": serializers.IntegerField()}
            )
        ),
    },
)


class HarvestView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        tags=["dcat"],
        summary="Harvest a DCAT-AP catalogue into draft datasets of a partner you curate",
        request={"multipart/form-data": HarvestInputSerializer, "application/json": HarvestInputSerializer},
        responses={201: HarvestReportSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = HarvestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        upload = data.get("file")
        source = read_source(url=data.get("url", ""), data=upload.read() if upload else None)
        report = harvest_catalogue(actor=request.user, partner=data["partner"], data=source, fmt=data.get("format", ""))
        return Response(report.as_dict(), status=status.HTTP_201_CREATED)
