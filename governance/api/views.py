"""Governance REST API: thin views that validate input, call one service or selector, and serialize.

Visibility comes from governance.selectors (an object you may not see is a 404); every write goes
through governance.services or governance.workflow, whose refusals become 400/403/409
responses in the one error shape (harmony.errors).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalogue.models import Distribution
from governance import policy, selectors, services, workflow
from governance.api import serializers as s
from governance.item_views import item_views
from governance.models import AccessRequestItem
from governance.services import ItemSpec
from governance.services.documents import document_add, document_open, document_remove
from governance.services.letters import letter_pdf
from harmony.errors import InvalidInput


class SignedInMixin:
    """Governance endpoints are for signed-in users; service errors become the one error shape
    (harmony.errors.api_exception_handler)."""

    permission_classes = [IsAuthenticated]


class ItemViewsMixin:
    """Lists build the per-item views (verdict, tally, recusal, own vote) of the whole page in one batch
    (governance.item_views), so a page costs the same number of queries whatever its length."""

    def items_of(self, rows: list[Any]) -> list[AccessRequestItem]:
        raise NotImplementedError

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())  # type: ignore[attr-defined]
        page = self.paginate_queryset(queryset)  # type: ignore[attr-defined]
        rows = list(page if page is not None else queryset)
        context = self.get_serializer_context()  # type: ignore[attr-defined]
        context["item_views"] = item_views(request.user, self.items_of(rows))
        data = self.get_serializer_class()(rows, many=True, context=context).data  # type: ignore[attr-defined]
        return self.get_paginated_response(data) if page is not None else Response(data)  # type: ignore[attr-defined]


def _request_filter(request: Request) -> int | None:
    """The ``?request=<id>`` filter of a list, validated: a non-numeric id is a 400 with a field message."""
    serializer = s.RequestFilterSerializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data.get("request")


def _item_specs(items: list[dict[str, Any]]) -> list[ItemSpec]:
    return [ItemSpec(dataset=entry["dataset"], variables=entry.get("variables", [])) for entry in items]


@extend_schema(tags=["access requests"])
class AccessRequestViewSet(SignedInMixin, ItemViewsMixin, viewsets.ModelViewSet):
    """Access requests: the requester drafts, edits (while draft or changes requested), submits, resubmits,
    withdraws. Read access (governance.selectors.requests_visible_to): the requester, their partner's
    researchers (read-only), the DACs deciding its items, the holders once an item is approved, and
    administrators. Anything else is a 404. (The requesting partner's curators see its agreements, to sign.)"""

    serializer_class = s.AccessRequestSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def items_of(self, rows: list[Any]) -> list[AccessRequestItem]:
        return [item for access_request in rows for item in access_request.items.all()]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return (
            selectors.requests_visible_to(self.request.user)
            .select_related("requester", "partner", "disease")
            .prefetch_related(
                Prefetch("items", AccessRequestItem.objects.select_related("dataset__partner", "dac").order_by("id")),
                "items__variables",
            )
            .order_by("-created_at")
        )

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        if self.action in ("create", "partial_update"):
            return s.AccessRequestInputSerializer
        return s.AccessRequestSerializer

    def _render(self, access_request: Any, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=access_request.pk)
        context = {"request": self.request, "item_views": item_views(self.request.user, fresh.items.all())}
        return Response(s.AccessRequestSerializer(fresh, context=context).data, status=status_code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._render(self.get_object())

    @extend_schema(request=s.AccessRequestInputSerializer, responses={201: s.AccessRequestSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = s.AccessRequestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        partner = data.pop("partner", None)
        if partner is None:
            raise InvalidInput(_("Invalid input."), fields={"partner": [_("This field is required.")]})
        items = _item_specs(data.pop("items", []))
        access_request = services.request_create(requester=request.user, partner=partner, items=items, **data)
        return self._render(access_request, status.HTTP_201_CREATED)

    @extend_schema(request=s.AccessRequestInputSerializer, responses=s.AccessRequestSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        access_request = self.get_object()
        serializer = s.AccessRequestInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        items = _item_specs(data.pop("items")) if "items" in data else None
        services.request_update(access_request=access_request, actor=request.user, items=items, **data)
        return self._render(access_request)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.request_delete(access_request=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=s.AccessRequestSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        return self._render(workflow.submit(access_request=self.get_object(), actor=request.user))

    @extend_schema(request=None, responses=s.AccessRequestSerializer)
    @action(detail=True, methods=["post"])
    def resubmit(self, request: Request, pk: str | None = None) -> Response:
        return self._render(workflow.resubmit(access_request=self.get_object(), actor=request.user))

    @extend_schema(request=None, responses=s.AccessRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        return self._render(workflow.withdraw_request(access_request=self.get_object(), actor=request.user))


@extend_schema(tags=["access requests"])
class AccessRequestItemViewSet(SignedInMixin, ItemViewsMixin, viewsets.ReadOnlyModelViewSet):
    """Request items (one per dataset), with the consent-match report and, for DAC members, recusal and tally.
    Filters: ``request``, ``state``, ``awaiting_my_vote=true`` (the caller's review queue)."""

    serializer_class = s.ItemSerializer

    def items_of(self, rows: list[Any]) -> list[AccessRequestItem]:
        return rows

    def get_queryset(self):  # type: ignore[no-untyped-def]
        user = self.request.user
        params = self.request.query_params
        items = (
            selectors.review_queue_for(user)
            if params.get("awaiting_my_vote") == "true"
            else selectors.items_visible_to(user)
        )
        request_id = _request_filter(self.request)
        if request_id is not None:
            items = items.filter(request_id=request_id)
        if params.get("state"):
            items = items.filter(state=params["state"])
        return (
            items.select_related("request__partner", "request__disease", "dataset__partner", "dac")
            .prefetch_related("variables")
            .order_by("id")
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("request", int),
            OpenApiParameter("state", str),
            OpenApiParameter("awaiting_my_vote", bool),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return ItemViewsMixin.list(self, request, *args, **kwargs)

    def _render(self, item: AccessRequestItem, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = AccessRequestItem.objects.select_related("request", "dataset__partner", "dac").get(pk=item.pk)
        return Response(s.ItemSerializer(fresh, context={"request": self.request}).data, status=status_code)

    @extend_schema(request=s.VoteInputSerializer, responses={200: s.VoteSerializer, 201: s.VoteSerializer})
    @action(detail=True, methods=["get", "post"])
    def votes(self, request: Request, pk: str | None = None) -> Response:
        """GET: the votes of every round (deciding DAC and administrators only). POST: cast your vote."""
        item = self.get_object()
        if request.method == "GET":
            policy.require(policy.can_read_votes(request.user, item))
            return Response(s.VoteSerializer(item.votes.select_related("member"), many=True).data)
        serializer = s.VoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        vote = workflow.vote_cast(item=item, member=request.user, **serializer.validated_data)
        return Response(s.VoteSerializer(vote).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ChangesInputSerializer, responses=s.ItemSerializer)
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request: Request, pk: str | None = None) -> Response:
        serializer = s.ChangesInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = workflow.request_changes(item=self.get_object(), actor=request.user, **serializer.validated_data)
        return self._render(item)

    @extend_schema(request=s.ReleaseInputSerializer, responses={201: s.GrantSerializer})
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str | None = None) -> Response:
        serializer = s.ReleaseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        grant = workflow.release_item(item=self.get_object(), actor=request.user, **serializer.validated_data)
        return Response(s.GrantSerializer(grant).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.ItemSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        return self._render(workflow.withdraw(item=self.get_object(), actor=request.user))


@extend_schema(tags=["access requests"])
class CommentViewSet(SignedInMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Comments on requests you can see (``?request=<id>``); DAC-only comments are shown to DAC members only."""

    serializer_class = s.CommentSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        request_id = _request_filter(self.request)
        if request_id is None:
            return s.Comment.objects.none()
        access_request = get_object_or_404(selectors.requests_visible_to(self.request.user), pk=request_id)
        return selectors.comments_visible_to(self.request.user, access_request)

    @extend_schema(parameters=[OpenApiParameter("request", int, required=True)])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.CommentInputSerializer, responses={201: s.CommentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = s.CommentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        access_request = get_object_or_404(selectors.requests_visible_to(request.user), pk=data["request"].pk)
        comment = services.comment_add(
            access_request=access_request,
            author=request.user,
            body=data["body"],
            item=data.get("item"),
            dac_only=data["dac_only"],
        )
        return Response(s.CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


def _document_response(document: s.RequestDocument, user: Any) -> FileResponse:
    try:
        opened = document_open(document=document, actor=user)
    except FileNotFoundError as exc:
        raise Http404(_("The file of this document is missing.")) from exc
    response = FileResponse(opened.file, as_attachment=True, filename=opened.filename, content_type=opened.media_type)
    response["Content-Length"] = str(opened.byte_size)
    response["X-Content-Type-Options"] = "nosniff"
    return response


class RequestDocumentViewSet(
    SignedInMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Documents attached to requests you can read (``?request=<id>`` on the list): upload (multipart, by the
    requester while the request is editable), list, download (audited), remove. Who: governance.policy; when and
    what content: governance.services.documents (400 with a field message on size or type, 409 when frozen)."""

    serializer_class = s.RequestDocumentSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        documents = s.RequestDocument.objects.filter(
            request__in=selectors.requests_visible_to(self.request.user), removed_at__isnull=True
        ).select_related("request", "uploaded_by")
        request_id = _request_filter(self.request)
        if request_id is not None:
            documents = documents.filter(request_id=request_id)
        return documents.order_by("id")

    @extend_schema(parameters=[OpenApiParameter("request", int)])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": s.RequestDocumentInputSerializer}, responses={201: s.RequestDocumentSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = s.RequestDocumentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        access_request = get_object_or_404(selectors.requests_visible_to(request.user), pk=data["request"])
        document = document_add(
            access_request=access_request, actor=request.user, kind=data["kind"], upload=data["file"]
        )
        return Response(s.RequestDocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        document_remove(document=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        return _document_response(self.get_object(), request.user)


class DecisionLetterViewSet(SignedInMixin, viewsets.ReadOnlyModelViewSet):
    """Decision letters of the items you can read (``?request=<id>``), as written in the requester's language;
    ``pdf`` gives the same words as a PDF."""

    serializer_class = s.DecisionLetterSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        letters = s.DecisionLetter.objects.filter(item__in=selectors.items_visible_to(self.request.user))
        request_id = _request_filter(self.request)
        if request_id is not None:
            letters = letters.filter(item__request_id=request_id)
        return letters.select_related("item").order_by("id")

    @extend_schema(parameters=[OpenApiParameter("request", int)])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk: str | None = None) -> HttpResponse:
        letter = self.get_object()
        policy.require(policy.can_read_decision_letter(request.user, letter.item))
        filename = f"decision-{letter.item.request_id}-{letter.item_id}-round-{letter.review_round}.pdf"
        return HttpResponse(
            letter_pdf(letter),
            content_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{filename}"', "X-Content-Type-Options": "nosniff"},
        )


@extend_schema(tags=["release"])
class AgreementViewSet(SignedInMixin, viewsets.ReadOnlyModelViewSet):
    """Data-sharing agreements (one per request and holder, created at the holder's first approval)."""

    serializer_class = s.AgreementSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        agreements = selectors.agreements_visible_to(self.request.user).order_by("id")
        request_id = _request_filter(self.request)
        if request_id is not None:
            agreements = agreements.filter(request_id=request_id)
        return agreements

    @extend_schema(request=s.SignInputSerializer, responses=s.AgreementSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: str | None = None) -> Response:
        serializer = s.SignInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreement = workflow.agreement_sign(
            agreement=self.get_object(), actor=request.user, **serializer.validated_data
        )
        return Response(s.AgreementSerializer(agreement).data)


@extend_schema(tags=["release"])
class GrantViewSet(SignedInMixin, viewsets.ReadOnlyModelViewSet):
    """Access grants: your own, and those on items your DAC decides or your partner holds."""

    serializer_class = s.GrantSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.grants_visible_to(self.request.user).order_by("-valid_from")

    @extend_schema(request=s.RevokeInputSerializer, responses=s.GrantSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        serializer = s.RevokeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        grant = workflow.grant_revoke(grant=self.get_object(), actor=request.user, **serializer.validated_data)
        return Response(s.GrantSerializer(grant).data)


@extend_schema(tags=["release"])
class DownloadView(SignedInMixin, APIView):
    """Stream a distribution file held by the registry to a user with a live grant on its dataset (audited)."""

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request: Request, distribution_id: int) -> FileResponse:
        findable = Distribution.objects.filter(policy.distributions_findable_q(request.user))
        distribution = get_object_or_404(findable.select_related("dataset"), pk=distribution_id)
        try:
            result = services.distribution_download(distribution=distribution, user=request.user)
        except FileNotFoundError as exc:
            raise Http404(_("The file of this distribution is missing.")) from exc
        return FileResponse(result.file, as_attachment=True, filename=result.filename)


@extend_schema(tags=["audit"])
class AuditEventViewSet(SignedInMixin, viewsets.ReadOnlyModelViewSet):
    """The audit trail of requests you made or your DAC decides (``?request=<id>``); all for administrators."""

    serializer_class = s.AuditEventSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        events = selectors.audit_events_visible_to(self.request.user).order_by("id")
        request_id = _request_filter(self.request)
        if request_id is not None:
            events = events.filter(access_request_id=request_id)
        return events

    @extend_schema(parameters=[OpenApiParameter("request", int)])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        context = {**self.get_serializer_context(), **kwargs.pop("context", {})}
        if args:  # no instance when the OpenAPI schema is generated
            events = list(args[0]) if kwargs.get("many") else [args[0]]
            context["readable_vote_events"] = selectors.readable_vote_event_ids(self.request.user, events)
        return self.get_serializer_class()(*args, context=context, **kwargs)


@extend_schema(tags=["audit"])
class DashboardView(SignedInMixin, APIView):
    """Requests by state (those you can see) and, per DAC, median days from submission to decision and release."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        return Response(selectors.dashboard_stats(request.user))


@extend_schema(tags=["notifications"])
class NotificationViewSet(SignedInMixin, viewsets.ReadOnlyModelViewSet):
    """Your in-app inbox (``?unread=true`` for unread only)."""

    serializer_class = s.NotificationSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        notifications = selectors.notifications_for(self.request.user)
        if self.request.query_params.get("unread") == "true":
            notifications = notifications.filter(read_at__isnull=True)
        return notifications

    @extend_schema(request=None, responses=s.NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        notification = services.notification_mark_read(notification=self.get_object(), user=request.user)
        return Response(s.NotificationSerializer(notification).data)

    @extend_schema(request=None, responses={200: dict})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        return Response({"marked_read": services.notifications_mark_all_read(user=request.user)})


@extend_schema(tags=["access requests"])
class DacViewSet(SignedInMixin, viewsets.ReadOnlyModelViewSet):
    """Data access committees, their decision rules and members."""

    serializer_class = s.DacSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return s.DataAccessCommittee.objects.select_related("partner").prefetch_related("memberships__user")
