"""Personal access tokens in the API."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import PersonalAccessToken, TokenScope
from accounts.services import MAX_LIFETIME_DAYS


class TokenSerializer(serializers.ModelSerializer):
    is_live = serializers.BooleanField(read_only=True, help_text="Neither revoked nor expired.")

    class Meta:
        model = PersonalAccessToken
        fields = ["id", "name", "scope", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at", "is_live"]
        read_only_fields = fields


class TokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    scope = serializers.ChoiceField(choices=TokenScope.choices, default=TokenScope.READ)
    lifetime_days = serializers.IntegerField(min_value=1, max_value=MAX_LIFETIME_DAYS, default=90)


class TokenCreatedSerializer(TokenSerializer):
    secret = serializers.CharField(read_only=True, help_text="Shown once: only its SHA-256 digest is stored.")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "secret"]
        read_only_fields = fields
