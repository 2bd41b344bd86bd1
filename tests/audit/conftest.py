"""A small audit trail to verify and tamper with, and the attacker's way in on PostgreSQL."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from django.db import connection, transaction

from audit.models import AuditEvent
from audit.services import audit_record
from tests.catalogue.factories import UserFactory


@pytest.fixture
def trail(db) -> list[AuditEvent]:
    """Eight events by two users, as the services would write them."""
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    events = []
    with transaction.atomic():
        for number in range(8):
            actor = alice if number % 2 else bob
            events.append(
                audit_record(
                    actor=actor, action="thing.change", obj=actor, before={"n": number}, after={"n": number + 1}
                )
            )
    return events


@contextlib.contextmanager
def tampering() -> Iterator[None]:
    """Act as the table owner would: disable the append-only trigger, edit, enable it again.

    In the test run the app role owns the audit table (AUDIT_DB_OWNER_ROLE is empty), which makes
    it the attacker with the owner's credentials that the keyed chain and the anchors must defeat.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses while FK checks are pending
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_append_only")
