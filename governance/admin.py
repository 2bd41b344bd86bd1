"""Django admin for governance.

Administrators manage committees, their members and dataset assignments here; member and assignment
changes go through the services, so guardian permissions stay in sync and every change is audited.
Requests, items, votes, documents, decision letters, agreements, grants and downloads are read-only (the audit
trail: audit/admin.py): their states change only through governance.workflow.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from governance import services
from governance.models import (
    AccessGrant,
    AccessRequest,
    AccessRequestItem,
    AgreementTemplate,
    Comment,
    DacMembership,
    DataAccessCommittee,
    DatasetGovernance,
    DataSharingAgreement,
    DecisionLetter,
    Download,
    Notification,
    RequestDocument,
    Vote,
)
from governance.services.agreements import AGREEMENT_PLACEHOLDERS, agreement_template_set


class ReadOnlyAdmin(admin.ModelAdmin):
    """History: visible, never added, changed or deleted from the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DacMembershipInline(admin.TabularInline):
    model = DacMembership
    extra = 0
    fields = ["user", "role", "created_at"]
    readonly_fields = ["user", "role", "created_at"]
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # add members on the DAC membership page, which keeps permissions in sync

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DataAccessCommitteeForm(forms.ModelForm):
    """Refuses, with the service's reason, a decision-rule change while items are under review."""

    class Meta:
        model = DataAccessCommittee
        fields = ["name", "partner", "decision_rule", "quorum_k", "target_days"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        refusal = services.dac_rule_change_refusal(
            dac=DataAccessCommittee.objects.get(pk=self.instance.pk) if self.instance.pk else self.instance,
            decision_rule=cleaned.get("decision_rule"),
            quorum_k=cleaned.get("quorum_k"),
        )
        if refusal:
            self.add_error("decision_rule", refusal)
        return cleaned


@admin.register(DataAccessCommittee)
class DataAccessCommitteeAdmin(admin.ModelAdmin):
    """Committees are created and changed through ``dac_create`` / ``dac_update`` (audited); never deleted."""

    form = DataAccessCommitteeForm
    list_display = ["name", "partner", "decision_rule", "quorum_k", "target_days"]
    list_filter = ["decision_rule"]
    search_fields = ["name", "partner__name", "partner__short_name"]
    autocomplete_fields = ["partner"]
    inlines = [DacMembershipInline]

    def save_model(self, request: HttpRequest, obj: DataAccessCommittee, form: ModelForm, change: bool) -> None:
        if change:
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            if changes:
                services.dac_update(actor=request.user, dac=obj, **changes)
            return
        saved = services.dac_create(
            name=obj.name,
            partner=obj.partner,
            decision_rule=obj.decision_rule,
            quorum_k=obj.quorum_k,
            target_days=obj.target_days,
            actor=request.user,
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # requests, votes and the audit trail refer to the committee


@admin.register(DacMembership)
class DacMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "dac", "role", "created_at"]
    list_filter = ["role", "dac"]
    search_fields = ["user__username", "user__email", "dac__name"]
    raw_id_fields = ["user"]

    def get_readonly_fields(self, request: HttpRequest, obj: DacMembership | None = None) -> list[str]:
        return ["user", "dac", "created_at"] if obj is not None else ["created_at"]

    def save_model(self, request: HttpRequest, obj: DacMembership, form: ModelForm, change: bool) -> None:
        saved = services.dac_member_set(dac=obj.dac, user=obj.user, role=obj.role, actor=request.user)
        obj.pk, obj.created_at = saved.pk, saved.created_at

    def delete_model(self, request: HttpRequest, obj: DacMembership) -> None:
        services.dac_member_remove(membership=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[DacMembership]) -> None:
        for membership in queryset:
            services.dac_member_remove(membership=membership, actor=request.user)


@admin.register(DatasetGovernance)
class DatasetGovernanceAdmin(admin.ModelAdmin):
    list_display = ["dataset", "dac", "assigned_at"]
    search_fields = ["dataset__title", "dac__name"]
    raw_id_fields = ["dataset"]

    def get_readonly_fields(self, request: HttpRequest, obj: DatasetGovernance | None = None) -> list[str]:
        return ["dataset", "assigned_at"] if obj is not None else ["assigned_at"]

    def save_model(self, request: HttpRequest, obj: DatasetGovernance, form: ModelForm, change: bool) -> None:
        saved = services.dataset_governance_assign(dataset=obj.dataset, dac=obj.dac, actor=request.user)
        obj.pk = saved.pk

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # reassign instead: the history of who governed what stays in the audit trail


class ItemInline(admin.TabularInline):
    model = AccessRequestItem
    extra = 0
    fields = ["dataset", "dac", "state", "review_round", "submitted_at", "decided_at", "released_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnlyAdmin):
    list_display = ["title", "requester", "partner", "purpose", "created_at", "submitted_at"]
    list_filter = ["purpose", "partner"]
    search_fields = ["title", "requester__username"]
    inlines = [ItemInline]


@admin.register(AccessRequestItem)
class AccessRequestItemAdmin(ReadOnlyAdmin):
    list_display = ["request", "dataset", "dac", "state", "review_round", "submitted_at", "decided_at"]
    list_filter = ["state", "dac"]
    search_fields = ["request__title", "dataset__title"]


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ["item", "member", "review_round", "decision", "created_at"]
    list_filter = ["decision"]


@admin.register(RequestDocument)
class RequestDocumentAdmin(ReadOnlyAdmin):
    """Metadata only: the files are read through the request's pages, which audit every download."""

    list_display = ["request", "kind", "filename", "media_type", "byte_size", "uploaded_at", "removed_at"]
    list_filter = ["kind", "media_type"]
    exclude = ["stored_name"]


@admin.register(DecisionLetter)
class DecisionLetterAdmin(ReadOnlyAdmin):
    list_display = ["item", "review_round", "decision", "language", "issued_at"]
    list_filter = ["decision", "language"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["request", "author", "dac_only", "created_at"]


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(admin.ModelAdmin):
    """A holder's agreement text, set through ``agreement_template_set`` (checked, audited); never deleted."""

    list_display = ["partner", "updated_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: AgreementTemplate | None = None) -> list[str]:
        return ["partner"] if obj is not None else []

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if "body" in form.base_fields:
            names = ", ".join("{" + name + "}" for name in AGREEMENT_PLACEHOLDERS)
            form.base_fields["body"].help_text = f"Placeholders: {names}."
        return form

    def save_model(self, request: HttpRequest, obj: AgreementTemplate, form: ModelForm, change: bool) -> None:
        saved = agreement_template_set(partner=obj.partner, body=obj.body, actor=request.user)
        obj.pk = saved.pk

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DataSharingAgreement)
class DataSharingAgreementAdmin(ReadOnlyAdmin):
    list_display = ["request", "holder", "requester_signed_at", "holder_signed_at"]


@admin.register(AccessGrant)
class AccessGrantAdmin(ReadOnlyAdmin):
    list_display = ["item", "grantee", "valid_from", "valid_until", "revoked_at", "expired_at"]
    list_filter = ["valid_until"]


@admin.register(Download)
class DownloadAdmin(ReadOnlyAdmin):
    list_display = ["user", "distribution", "grant", "created_at"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["user", "verb", "created_at", "read_at"]
    list_filter = ["verb"]
