"""Django admin: administrators manage partners and memberships here; datasets are readable and editable.

Membership changes go through ``membership_grant`` / ``membership_revoke`` so the guardian object
permissions (who curates which partner) never drift from the membership rows. Dataset edits made here
are queued for re-indexing like any service write.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from catalogue.models import (
    Consent,
    Dataset,
    DataType,
    DataUseModifier,
    DiseaseArea,
    DuoTerm,
    Membership,
    Partner,
    Vocabulary,
)
from catalogue.search.outbox import record_dataset_changes
from catalogue.services.memberships import membership_grant, membership_revoke


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "created_at"]
    readonly_fields = ["user", "role", "created_at"]
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # add memberships on the Membership page, which keeps permissions in sync


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "country", "kind"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "partner", "role", "created_at"]
    list_filter = ["role", "partner__country", "partner"]
    search_fields = ["user__username", "user__email", "partner__name", "partner__short_name"]
    autocomplete_fields = ["partner"]
    raw_id_fields = ["user"]

    def get_readonly_fields(self, request: HttpRequest, obj: Membership | None = None) -> list[str]:
        # A membership is granted or revoked, never edited: changing user/partner/role would bypass the permission sync.
        return ["user", "partner", "role", "created_at"] if obj is not None else ["created_at"]

    def save_model(self, request: HttpRequest, obj: Membership, form: ModelForm, change: bool) -> None:
        if not change:
            granted = membership_grant(user=obj.user, partner=obj.partner, role=obj.role)
            obj.pk, obj.created_at = granted.pk, granted.created_at

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        membership_revoke(membership=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset.select_related("user", "partner"):
            membership_revoke(membership=membership)


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    fields = ["form_version", "permission", "disease", "participant_count", "withdrawn_at"]
    show_change_link = True


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["title", "partner", "status", "patient_count", "updated_at"]
    list_filter = ["status", "partner__country", "disease_areas", "data_types"]
    search_fields = ["title", "slug", "description", "partner__name"]
    list_select_related = ["partner"]
    autocomplete_fields = ["partner"]
    filter_horizontal = ["disease_areas", "data_types"]
    readonly_fields = ["status", "created_at", "updated_at", "published_at", "retired_at"]
    inlines = [ConsentInline]

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        record_dataset_changes([form.instance.pk])

    def delete_model(self, request: HttpRequest, obj: Dataset) -> None:
        dataset_id = obj.pk
        super().delete_model(request, obj)
        record_dataset_changes([dataset_id])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Dataset]) -> None:
        dataset_ids = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        record_dataset_changes(dataset_ids)


class DataUseModifierInline(admin.TabularInline):
    model = DataUseModifier
    extra = 0


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["dataset", "form_version", "permission", "disease", "participant_count"]
    list_select_related = ["dataset", "permission", "disease"]
    search_fields = ["dataset__title", "form_version"]
    raw_id_fields = ["dataset"]
    inlines = [DataUseModifierInline]

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        record_dataset_changes([form.instance.dataset_id])


class ReadOnlyAdmin(admin.ModelAdmin):
    """Reference vocabularies are loaded from catalogue/data/ (``manage.py load_reference_data``), not edited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DuoTerm)
class DuoTermAdmin(ReadOnlyAdmin):
    list_display = ["id", "short_code", "label", "kind"]
    list_filter = ["kind"]


@admin.register(DiseaseArea)
class DiseaseAreaAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "parent", "icd10", "icdo3"]


@admin.register(DataType)
class DataTypeAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "category"]


@admin.register(Vocabulary)
class VocabularyAdmin(admin.ModelAdmin):
    """Administrators add vocabularies here; the shipped ones are (re)loaded by ``load_reference_data``.
    A vocabulary some concept uses cannot be deleted (the concept protects it)."""

    list_display = ("id", "name", "code_pattern", "example", "aliases")
    ordering = ("id",)
    search_fields = ("id", "name", "aliases")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("id",) if obj is not None else ()  # the id is what concepts store
