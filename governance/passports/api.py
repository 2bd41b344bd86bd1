"""Passport endpoints: the registry's public keys, a user's passport, and presenting visas from a broker."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from governance.passports.issuer import passport_for
from governance.passports.keys import SigningKeysMissing, public_jwks
from governance.passports.models import VerifiedVisa
from governance.passports.selectors import current_visas_of
from governance.passports.services import visas_present
from harmony.errors import error_body


class JwksView(APIView):
    """The public keys of the registry's visa signing keys (the ``jku`` of every visa it issues)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(tags=["passports"], responses={200: inline_serializer("Jwks", {"keys": serializers.ListField()})})
    def get(self, request: Request) -> Response:
        try:
            return Response(public_jwks())
        except SigningKeysMissing as error:
            return Response(error_body(str(error), "not_configured"), status=status.HTTP_503_SERVICE_UNAVAILABLE)


class PassportView(APIView):
    """Your GA4GH passport: a ControlledAccessGrants visa for each of your live access grants."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["passports"],
        responses={200: inline_serializer("Passport", {"ga4gh_passport_v1": serializers.ListField()})},
    )
    def get(self, request: Request) -> Response:
        try:
            return Response({"ga4gh_passport_v1": passport_for(request.user)})
        except SigningKeysMissing as error:
            return Response(error_body(str(error), "not_configured"), status=status.HTTP_503_SERVICE_UNAVAILABLE)


class VerifiedVisaSerializer(serializers.ModelSerializer):
    class Meta:
        model = VerifiedVisa
        fields = ["id", "issuer", "visa_type", "value", "source", "by", "asserted", "expires_at", "verified_at"]


class PresentVisasSerializer(serializers.Serializer):
    passport = serializers.CharField(required=False, help_text="A passport JWT from a trusted broker.")
    visas = serializers.ListField(child=serializers.CharField(), required=False, help_text="Or visa JWTs.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("passport") and not attrs.get("visas"):
            raise serializers.ValidationError({"passport": [_("Give a passport or a list of visas.")]})
        return attrs


class VisaListView(APIView):
    """The visas of trusted brokers you presented (committees see the unexpired ones on your requests)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["passports"], responses={200: VerifiedVisaSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return Response(VerifiedVisaSerializer(current_visas_of(request.user), many=True).data)

    @extend_schema(
        tags=["passports"], request=PresentVisasSerializer, responses={201: VerifiedVisaSerializer(many=True)}
    )
    def post(self, request: Request) -> Response:
        serializer = PresentVisasSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        kept = visas_present(actor=request.user, **serializer.validated_data)
        return Response(VerifiedVisaSerializer(kept, many=True).data, status=status.HTTP_201_CREATED)
