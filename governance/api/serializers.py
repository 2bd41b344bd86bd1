"""Governance API serializers: validate input shape and render output. States are read-only everywhere —
they change only through the workflow actions (governance.workflow)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from audit.models import AuditEvent
from catalogue.consent_matching import SENSITIVE_RESEARCH, finding_code
from catalogue.countries import COUNTRIES
from catalogue.models import Dataset, DatasetStatus, MondoTerm, Partner, Variable
from catalogue.selectors import mondo_term_for, unknown_disease_message
from governance import selectors
from governance.item_views import ItemView, item_views
from governance.models import (
    AccessGrant,
    AccessRequest,
    AccessRequestItem,
    Comment,
    DacMembership,
    DataAccessCommittee,
    DataSharingAgreement,
    DecisionLetter,
    DocumentKind,
    Notification,
    Purpose,
    RequestDocument,
    Vote,
    VoteDecision,
)
from governance.services.requests import EDITABLE_FIELDS

STATE_READ_ONLY = gettext_lazy(
    "The state is read-only: it changes only through the workflow actions "
    "(submit, resubmit, withdraw, votes, agreement signatures, release, revoke)."
)


class RejectStateMixin:
    """Say so when a client tries to set a state directly, instead of silently ignoring it."""

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "keys") and "state" in data:
            raise serializers.ValidationError({"state": [STATE_READ_ONLY]})
        return super().to_internal_value(data)  # type: ignore[misc]


class RequestFilterSerializer(serializers.Serializer):
    """The ``?request=<id>`` filter of the governance lists."""

    request = serializers.IntegerField(required=False, min_value=1)


class ItemInputSerializer(serializers.Serializer):
    """Only published datasets can be requested, so only their variables are resolved: the id of a
    draft's variable gets the same "does not exist" answer as a missing one, never its name."""

    dataset = serializers.PrimaryKeyRelatedField(queryset=Dataset.objects.filter(status=DatasetStatus.PUBLISHED))
    variables = serializers.PrimaryKeyRelatedField(
        queryset=Variable.objects.filter(dataset__status=DatasetStatus.PUBLISHED), many=True, required=False
    )


class DiseaseField(serializers.CharField):
    """A request's disease, written as a MONDO id or a disease-area code, read as the MONDO id."""

    def to_representation(self, value: Any) -> str:
        return value.pk if isinstance(value, MondoTerm) else str(value)

    def to_internal_value(self, data: Any) -> MondoTerm:
        text = super().to_internal_value(data)
        term = mondo_term_for(text)
        if term is None:
            raise serializers.ValidationError(unknown_disease_message(text))
        return term


class AccessRequestInputSerializer(RejectStateMixin, serializers.Serializer):
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all(), required=False)
    title = serializers.CharField(max_length=300)
    lay_summary = serializers.CharField(required=False, allow_blank=True)
    scientific_aims = serializers.CharField(required=False, allow_blank=True)
    purpose = serializers.ChoiceField(choices=Purpose.choices, required=False)
    disease = DiseaseField(
        required=False,
        allow_null=True,
        help_text="The disease studied: a MONDO id of the hematology subset (MONDO:0018874) or a disease area (AML).",
    )
    commercial = serializers.BooleanField(required=False)
    will_publish = serializers.BooleanField(required=False)
    collaboration_with_holder = serializers.BooleanField(required=False)
    methods_development = serializers.BooleanField(required=False)
    genetic_studies = serializers.BooleanField(required=False)
    requested_start = serializers.DateField(required=False, allow_null=True)
    requested_end = serializers.DateField(required=False, allow_null=True)
    ethics_reference = serializers.CharField(max_length=200, required=False, allow_blank=True)
    ethics_expiry = serializers.DateField(required=False, allow_null=True)
    publication_date = serializers.DateField(
        required=False, allow_null=True, help_text="Planned first publication (YYYY-MM-DD), checked against MOR."
    )
    countries_of_use = serializers.ListField(
        child=serializers.ChoiceField(
            choices=sorted(COUNTRIES),
            error_messages={"invalid_choice": "Unknown country {input!r}: use ISO 3166-1 alpha-2 codes such as DE."},
        ),
        required=False,
        help_text="ISO 3166-1 codes of the countries where the data will be stored or analysed (checked against GS).",
    )
    sensitive_research = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(SENSITIVE_RESEARCH)),
        required=False,
        help_text="Sensitive research the project involves; each needs committee review: "
        + ", ".join(SENSITIVE_RESEARCH)
        + ".",
    )
    items = ItemInputSerializer(many=True, required=False)


class DatasetBriefSerializer(serializers.ModelSerializer):
    partner = serializers.CharField(source="partner.short_name")

    class Meta:
        model = Dataset
        fields = ["id", "title", "slug", "partner", "status"]


class DacBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataAccessCommittee
        fields = ["id", "name", "decision_rule", "quorum_k"]


class ItemSerializer(serializers.ModelSerializer):
    """An item with its consent-match report, and — for the current user — recusal status and own vote.
    The tally is shown to the deciding DAC and administrators only."""

    dataset = DatasetBriefSerializer(read_only=True)
    dac = DacBriefSerializer(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    consent_match = serializers.SerializerMethodField()
    my_recusal = serializers.SerializerMethodField()
    my_vote = serializers.SerializerMethodField()
    tally = serializers.SerializerMethodField()

    class Meta:
        model = AccessRequestItem
        fields = [
            "id",
            "request",
            "dataset",
            "variables",
            "dac",
            "state",
            "state_label",
            "review_round",
            "submitted_at",
            "decided_at",
            "released_at",
            "consent_match",
            "my_recusal",
            "my_vote",
            "tally",
        ]
        read_only_fields = fields

    def _user(self) -> Any:
        return self.context["request"].user

    def _view(self, item: AccessRequestItem) -> ItemView:
        """The item's view from the page's batch (``context["item_views"]``), or built for this item alone."""
        views = self.context.setdefault("item_views", {})
        if item.pk not in views:
            views.update(item_views(self._user(), [item]))
        return views[item.pk]

    def get_consent_match(self, item: AccessRequestItem) -> dict[str, Any]:
        verdict = self._view(item).verdict
        return {
            "compatible": verdict.compatible,
            "needs_review": verdict.needs_review,
            "reasons": list(verdict.reasons),
            "notes": list(verdict.notes),
            "reason_codes": [finding_code(reason) for reason in verdict.reasons],
            "note_codes": [finding_code(note) for note in verdict.notes],
        }

    def get_my_recusal(self, item: AccessRequestItem) -> dict[str, Any] | None:
        recusal = self._view(item).recusal
        return None if recusal is None else {"recused": recusal.recused, "reason": recusal.reason}

    def get_my_vote(self, item: AccessRequestItem) -> str | None:
        return self._view(item).my_vote

    def get_tally(self, item: AccessRequestItem) -> dict[str, Any] | None:
        tally = self._view(item).tally
        if tally is None:
            return None
        return {
            "review_round": tally.review_round,
            "approvals": tally.approvals,
            "rejections": tally.rejections,
            "changes": tally.changes,
            "eligible": tally.eligible,
            "rule": tally.rule,
            "quorum_k": tally.quorum_k,
            "outcome": str(tally.outcome),
        }


class AccessRequestSerializer(serializers.ModelSerializer):
    requester = serializers.CharField(source="requester.get_username", read_only=True)
    partner = serializers.PrimaryKeyRelatedField(read_only=True)
    disease = serializers.PrimaryKeyRelatedField(read_only=True, help_text="MONDO id of the disease studied.")
    state = serializers.SerializerMethodField()
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = AccessRequest
        fields = [
            "id",
            "requester",
            "partner",
            *EDITABLE_FIELDS,
            "state",
            "created_at",
            "updated_at",
            "submitted_at",
            "items",
        ]
        read_only_fields = fields

    def get_state(self, access_request: AccessRequest) -> str:
        return selectors.request_state(access_request)


class VoteInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=VoteDecision.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="", help_text="For the committee only.")
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="For the requester, in the decision letter: required to reject or ask for changes.",
    )
    conditions = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Conditions of approval, one per line (approve only)."
    )


class VoteSerializer(serializers.ModelSerializer):
    member = serializers.CharField(source="member.get_username", read_only=True)

    class Meta:
        model = Vote
        fields = ["id", "item", "member", "review_round", "decision", "comment", "reason", "conditions", "created_at"]
        read_only_fields = fields


class ChangesInputSerializer(serializers.Serializer):
    comment = serializers.CharField()


class CommentInputSerializer(serializers.Serializer):
    request = serializers.PrimaryKeyRelatedField(queryset=AccessRequest.objects.all())
    item = serializers.PrimaryKeyRelatedField(queryset=AccessRequestItem.objects.all(), required=False, allow_null=True)
    body = serializers.CharField()
    dac_only = serializers.BooleanField(required=False, default=False)


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.get_username", read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "request", "item", "author", "body", "dac_only", "created_at"]
        read_only_fields = fields


class AgreementSerializer(serializers.ModelSerializer):
    holder = serializers.CharField(source="holder.short_name", read_only=True)
    requester_signed_by = serializers.CharField(source="requester_signed_by.get_username", default=None)
    holder_signed_by = serializers.CharField(source="holder_signed_by.get_username", default=None)
    is_complete = serializers.BooleanField(read_only=True)

    class Meta:
        model = DataSharingAgreement
        fields = [
            "id",
            "request",
            "holder",
            "document_reference",
            "text",
            "text_sha256",
            "requester_signed_at",
            "requester_signed_by",
            "requester_signed_name",
            "requester_signed_sha256",
            "holder_signed_at",
            "holder_signed_by",
            "holder_signed_name",
            "holder_signed_sha256",
            "is_complete",
            "created_at",
        ]
        read_only_fields = fields


class SignInputSerializer(serializers.Serializer):
    side = serializers.ChoiceField(choices=[("requester", "Requesting partner"), ("holder", "Data holder")])
    signed_name = serializers.CharField(
        required=False, max_length=200, help_text="The signer's name as typed; default: the account's full name."
    )
    text_sha256 = serializers.RegexField(
        r"^[0-9a-f]{64}$",
        required=False,
        help_text="SHA-256 of the agreement text the signer read (`text_sha256`); a changed text is refused (409).",
    )


class GrantSerializer(serializers.ModelSerializer):
    grantee = serializers.CharField(source="grantee.get_username", read_only=True)
    dataset = serializers.IntegerField(source="item.dataset_id", read_only=True)
    request = serializers.IntegerField(source="item.request_id", read_only=True)
    revoked_by = serializers.CharField(source="revoked_by.get_username", default=None)
    released_by = serializers.CharField(source="released_by.get_username", default=None)
    live = serializers.SerializerMethodField()

    class Meta:
        model = AccessGrant
        fields = [
            "id",
            "item",
            "request",
            "dataset",
            "grantee",
            "valid_from",
            "valid_until",
            "released_by",
            "live",
            "revoked_at",
            "revoked_by",
            "revoke_reason",
            "expired_at",
        ]
        read_only_fields = fields

    def get_live(self, grant: AccessGrant) -> bool:
        from django.utils import timezone

        return grant.is_live(timezone.localdate())


class ReleaseInputSerializer(serializers.Serializer):
    valid_until = serializers.DateField(
        required=False,
        help_text="Last day of access (inclusive), from today to the end of the approved period; "
        "omitted: the whole approved period.",
    )


class RevokeInputSerializer(serializers.Serializer):
    reason = serializers.CharField()


class AuditEventSerializer(serializers.ModelSerializer):
    """An audit event. A vote event says how the member voted, and why, only to those who may read the
    votes (``context["readable_vote_events"]``, from governance.selectors.readable_vote_event_ids):
    others see that a vote was cast in which round, not its decision or comment."""

    actor = serializers.CharField(source="actor_username", read_only=True)

    def to_representation(self, event: AuditEvent) -> dict[str, Any]:
        data = super().to_representation(event)
        if event.action == "vote.cast" and event.pk not in self.context.get("readable_vote_events", set()):
            after = event.after or {}
            data["after"] = {key: after[key] for key in ("item_id", "review_round") if key in after}
        return data

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "created_at",
            "actor",
            "action",
            "object_type",
            "object_id",
            "access_request_id",
            "before",
            "after",
            "prev_hash",
            "hash",
        ]
        read_only_fields = fields


class NotificationSerializer(serializers.ModelSerializer):
    message = serializers.CharField(
        source="text", read_only=True, help_text="The text in the request's language (Accept-Language or ?lang=)."
    )

    class Meta:
        model = Notification
        fields = [
            "id",
            "verb",
            "message",
            "message_key",
            "params",
            "target_url",
            "access_request_id",
            "created_at",
            "read_at",
        ]
        read_only_fields = fields


class DacMemberSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.get_username", read_only=True)

    class Meta:
        model = DacMembership
        fields = ["user", "role"]
        read_only_fields = fields


class DacSerializer(serializers.ModelSerializer):
    partner = serializers.CharField(source="partner.short_name", default=None, read_only=True)
    members = DacMemberSerializer(source="memberships", many=True, read_only=True)

    class Meta:
        model = DataAccessCommittee
        fields = ["id", "name", "partner", "decision_rule", "quorum_k", "target_days", "members"]
        read_only_fields = fields


class RequestDocumentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    uploaded_by = serializers.CharField(source="uploaded_by.get_username", read_only=True)

    class Meta:
        model = RequestDocument
        fields = [
            "id",
            "request",
            "kind",
            "kind_label",
            "filename",
            "media_type",
            "byte_size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
        ]
        read_only_fields = fields


class RequestDocumentInputSerializer(serializers.Serializer):
    """A multipart upload: the request, the kind of document, the file (its size and content: the service)."""

    request = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField(allow_empty_file=True)


class DecisionLetterSerializer(serializers.ModelSerializer):
    request = serializers.IntegerField(source="item.request_id", read_only=True)
    pdf = serializers.SerializerMethodField()

    class Meta:
        model = DecisionLetter
        fields = [
            "id",
            "request",
            "item",
            "review_round",
            "decision",
            "language",
            "reasons",
            "conditions",
            "access_start",
            "access_end",
            "content",
            "sha256",
            "issued_at",
            "pdf",
        ]
        read_only_fields = fields

    def get_pdf(self, letter: DecisionLetter) -> str:
        return reverse("governance-api:decision-letter-pdf", args=[letter.pk])
