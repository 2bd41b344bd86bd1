"""Django admin: administrators manage partners and memberships here; datasets and consents are read-only.

Every change made here goes through a service, so it is permission-checked and audited like any other
write: partners through ``partner_save``, memberships through ``membership_grant`` / ``membership_revoke``
(so the guardian object permissions never drift from the membership rows), and a dataset's owning partner
(which decides its curators and governing committee) through ``dataset_transfer``. Datasets and consents
are otherwise changed by their curators (pages and API), where consent versioning applies.
tests/catalogue/test_admin.py walks the registry and fails on any model editable without a service.
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
    MondoTerm,
    Partner,
    Vocabulary,
)
from catalogue.services.datasets import dataset_transfer
from catalogue.services.memberships import membership_grant, membership_revoke
from catalogue.services.partners import partner_save
from catalogue.services.vocabularies import vocabulary_save


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "created_at"]
    readonly_fields = ["user", "role", "created_at"]
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # add memberships on the Membership page, which keeps permissions in sync

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "country", "kind"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [MembershipInline]

    def save_model(self, request: HttpRequest, obj: Partner, form: ModelForm, change: bool) -> None:
        partner_save(actor=request.user, partner=obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # datasets, memberships and the audit trail refer to partners


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
            granted = membership_grant(user=obj.user, partner=obj.partner, role=obj.role, actor=request.user)
            obj.pk, obj.created_at = granted.pk, granted.created_at

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        membership_revoke(membership=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset.select_related("user", "partner"):
            membership_revoke(membership=membership, actor=request.user)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ConsentInline(ReadOnlyInline):
    model = Consent
    fields = ["form_version", "version", "permission", "diseases", "participant_count", "withdrawn_at"]
    readonly_fields = fields


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    """Read-only but for the owning partner, which ``dataset_transfer`` changes (audited)."""

    list_display = ["title", "partner", "status", "patient_count", "updated_at"]
    list_filter = ["status", "partner__country", "disease_areas", "data_types"]
    search_fields = ["title", "slug", "description", "partner__name"]
    list_select_related = ["partner"]
    autocomplete_fields = ["partner"]
    inlines = [ConsentInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Dataset | None = None) -> list[str]:
        return [field.name for field in Dataset._meta.get_fields() if field.concrete and field.name != "partner"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # curators register datasets (pages and API)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a published dataset is retired, never deleted: decisions and the audit trail refer to it

    def save_model(self, request: HttpRequest, obj: Dataset, form: ModelForm, change: bool) -> None:
        if "partner" in form.changed_data:
            dataset_transfer(actor=request.user, dataset=obj, partner=form.cleaned_data["partner"])


class DataUseModifierInline(ReadOnlyInline):
    model = DataUseModifier


class ReadOnlyAdmin(admin.ModelAdmin):
    """Visible, never added, changed or deleted here: reference vocabularies are loaded from catalogue/data/
    (``manage.py load_reference_data``); consents are changed by their curators."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    """History that decisions rest on: curators change consents (a new version once published), never the admin."""

    list_display = ["dataset", "form_version", "version", "permission", "participant_count", "withdrawn_at"]
    list_select_related = ["dataset", "permission"]
    search_fields = ["dataset__title", "form_version"]
    inlines = [DataUseModifierInline]


@admin.register(DuoTerm)
class DuoTermAdmin(ReadOnlyAdmin):
    list_display = ["id", "short_code", "label", "kind"]
    list_filter = ["kind"]


@admin.register(DiseaseArea)
class DiseaseAreaAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "parent", "icd10", "icdo3", "mondo"]


@admin.register(MondoTerm)
class MondoTermAdmin(ReadOnlyAdmin):
    list_display = ["id", "name", "doid"]
    search_fields = ["id", "name", "doid"]


@admin.register(DataType)
class DataTypeAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "category"]


@admin.register(Vocabulary)
class VocabularyAdmin(admin.ModelAdmin):
    """Administrators add vocabularies here, saved through ``vocabulary_save`` (audited); the shipped ones are
    (re)loaded by ``load_reference_data``. Not deleted here: concepts and past imports refer to them."""

    list_display = ("id", "name", "code_pattern", "example", "aliases")
    ordering = ("id",)
    search_fields = ("id", "name", "aliases")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("id",) if obj is not None else ()  # the id is what concepts store

    def save_model(self, request: HttpRequest, obj: Vocabulary, form: ModelForm, change: bool) -> None:
        vocabulary_save(actor=request.user, vocabulary=obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
