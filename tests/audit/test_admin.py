"""The audit trail in the Django admin: listed, never added, changed or deleted."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.catalogue.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(UserFactory(username="ada", is_staff=True, is_superuser=True))
    return client


def test_audit_events_are_listed_and_cannot_be_added_changed_or_deleted(trail, admin_client):
    event = trail[0]
    assert admin_client.get("/admin/audit/auditevent/").status_code == 200
    assert admin_client.get(f"/admin/audit/auditevent/{event.pk}/change/").status_code == 200  # a read-only view
    assert admin_client.get(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    assert admin_client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"action": "x"}).status_code == 403
    assert admin_client.get("/admin/audit/auditevent/add/").status_code == 403
