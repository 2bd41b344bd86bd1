"""``/api/v1/tokens/``: the signed-in user's personal access tokens (list, create, revoke)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import services
from accounts.api.serializers import TokenCreatedSerializer, TokenCreateSerializer, TokenSerializer
from accounts.models import PersonalAccessToken
from accounts.selectors import tokens_of


class SignedInWithoutToken(BasePermission):
    """A token cannot mint tokens: a leaked token must not be able to outlive its own revocation."""

    message = gettext_lazy("Tokens are created by signing in with your password, not with another token.")

    def has_permission(self, request: Request, view: object) -> bool:
        return not isinstance(request.auth, PersonalAccessToken)


@extend_schema(tags=["tokens"])
@extend_schema_view(
    list=extend_schema(summary="Your personal access tokens"),
    retrieve=extend_schema(summary="One of your tokens"),
    create=extend_schema(
        summary="Create a token (its secret is in this response only)",
        request=TokenCreateSerializer,
        responses={201: TokenCreatedSerializer},
    ),
    destroy=extend_schema(summary="Revoke a token", responses={204: None}),
)
class TokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Use a token as ``Authorization: Bearer <secret>``. Scope ``read`` allows GET only; every token expires."""

    serializer_class = TokenSerializer
    permission_classes = [IsAuthenticated]

    def get_permissions(self) -> list[BasePermission]:
        if self.action == "create":
            return [IsAuthenticated(), SignedInWithoutToken()]
        return super().get_permissions()

    def get_queryset(self) -> QuerySet[PersonalAccessToken]:
        return tokens_of(self.request.user)

    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        form = TokenCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        token, secret = services.token_create(user=request.user, **form.validated_data)
        token.secret = secret
        return Response(TokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: object, **kwargs: object) -> Response:
        services.token_revoke(token=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
