"""Every governed model in the Django admin is either read-only or changed only through services.

Walks ``admin.site._registry``: for each model of the catalogue, governance and audit apps, whatever a
superuser may add or change must be saved by the admin's own ``save_model`` (which calls a service), whatever
they may delete by its own ``delete_model`` and ``delete_queryset``; inlines (saved by the formset, past
``save_model``) must be read-only.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from tests.catalogue.factories import UserFactory

GOVERNED_APPS = {"catalogue", "governance", "audit"}

pytestmark = pytest.mark.django_db


def _governed_admins() -> list[tuple[str, admin.ModelAdmin]]:
    return sorted(
        (model._meta.label, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in GOVERNED_APPS
    )


def _overrides(model_admin: admin.ModelAdmin, method: str) -> bool:
    return getattr(type(model_admin), method) is not getattr(admin.ModelAdmin, method)


def test_no_governed_model_is_editable_in_the_admin_without_a_service():
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(username="root", is_staff=True, is_superuser=True)
    problems = []
    for label, model_admin in _governed_admins():
        editable = model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
        if editable and not _overrides(model_admin, "save_model"):
            problems.append(f"{label}: saved by the default save_model")
        if model_admin.has_delete_permission(request):
            for method in ("delete_model", "delete_queryset"):
                if not _overrides(model_admin, method):
                    problems.append(f"{label}: deleted by the default {method}")
        for inline in model_admin.get_inline_instances(request):
            if inline.has_add_permission(request, None) or inline.has_change_permission(request):
                problems.append(f"{label}: inline {type(inline).__name__} is editable")
            if inline.has_delete_permission(request):
                problems.append(f"{label}: inline {type(inline).__name__} can delete")
    assert problems == []
    assert len(_governed_admins()) >= 15  # the walk sees the registry
