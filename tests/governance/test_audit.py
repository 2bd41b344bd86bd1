"""The audit trail: every step is recorded, the chain detects tampering, PostgreSQL refuses edits."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from governance.audit import GENESIS_HASH, verify_chain
from governance.models import AuditEvent
from tests.governance.factories import released_item

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def tampering() -> Iterator[None]:
    """Edit the table behind the application's back. On PostgreSQL only the table owner can, by disabling
    the append-only trigger first — audit_verify must catch the change either way."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses while FK checks are pending
            cursor.execute("ALTER TABLE governance_auditevent DISABLE TRIGGER governance_auditevent_append_only")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("ALTER TABLE governance_auditevent ENABLE TRIGGER governance_auditevent_append_only")
    else:
        yield


def test_every_step_of_the_path_is_audited_in_one_chain(gov):
    item = released_item(gov)
    actions = list(AuditEvent.objects.filter(access_request_id=item.request_id).values_list("action", flat=True))
    assert actions == [
        "request.create",
        "item.submit",
        "item.start_review",
        "vote.cast",
        "vote.cast",
        "item.approve",
        "agreement.create",
        "agreement.sign",
        "agreement.sign",
        "item.sign_agreement",
        "item.release",
    ]
    first = AuditEvent.objects.order_by("id").first()
    assert first.prev_hash == GENESIS_HASH
    assert verify_chain() is None
    permission_changes = AuditEvent.objects.filter(action="dac.member_set").count()
    assert permission_changes == 4  # the cast's DAC members: every permission change is audited


def test_audit_verify_reports_an_intact_chain(gov, capsys):
    released_item(gov)
    call_command("audit_verify")
    assert "Audit trail intact:" in capsys.readouterr().out


def test_audit_verify_names_an_altered_row(gov):
    released_item(gov)
    vote_event = AuditEvent.objects.filter(action="vote.cast").order_by("id").first()
    with tampering():
        AuditEvent.objects.filter(pk=vote_event.pk).update(after={**vote_event.after, "decision": "reject"})
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify")
    assert str(excinfo.value) == (
        f"Audit trail tampered: event #{vote_event.pk} (vote.cast): content does not match its hash."
    )


def test_audit_verify_notices_a_deleted_row(gov):
    released_item(gov)
    events = list(AuditEvent.objects.order_by("id"))
    with tampering():
        AuditEvent.objects.filter(pk=events[5].pk).delete()
    problem = verify_chain()
    assert problem is not None
    assert problem.event_id == events[6].pk
    assert "prev_hash does not match" in problem.message


def test_audit_verify_notices_a_rehashed_row(gov):
    """Recomputing the altered row's own hash does not help: the next row's prev_hash no longer matches."""
    from governance.audit import event_digest

    released_item(gov)
    events = list(AuditEvent.objects.order_by("id"))
    target = events[3]
    target.actor_username = "someone_else"
    target.hash = event_digest(target)
    with tampering():
        AuditEvent.objects.filter(pk=target.pk).update(actor_username="someone_else", hash=target.hash)
    assert verify_chain().event_id == events[4].pk


@pytest.mark.postgres
def test_postgres_refuses_update_and_delete_of_audit_events(gov):
    released_item(gov)
    event = AuditEvent.objects.order_by("id").first()
    with pytest.raises(DatabaseError, match="append-only: UPDATE refused"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="nothing.happened")
    with pytest.raises(DatabaseError, match="append-only: DELETE refused"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert verify_chain() is None
