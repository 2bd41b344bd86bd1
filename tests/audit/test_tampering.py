"""audit_verify catches each way an attacker with the table owner's rights (but not the key) rewrites history.

The tampering runs on PostgreSQL as the table owner, with the append-only trigger disabled: what someone
holding the owner's credentials could do. They do not hold AUDIT_HMAC_KEY, which is not in the database.
"""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.chain import canonical_json, timestamp
from audit.models import AuditEvent
from audit.services import verify_trail
from tests.audit.conftest import tampering

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _plain_sha256(event: AuditEvent) -> str:
    """The unkeyed hash of the old chain format: all an attacker without the key can compute."""
    content = {
        "created_at": timestamp(event.created_at),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": str(event.object_id),
        "access_request_id": event.access_request_id,
        "before": event.before,
        "after": event.after,
    }
    return hashlib.sha256((event.prev_hash + canonical_json(content)).encode("utf-8")).hexdigest()


def _audit_verify_fails() -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify")
    return str(excinfo.value)


def test_an_intact_trail_verifies(trail, capsys):
    call_command("audit_verify", "--anchor")
    call_command("audit_verify")
    assert "Audit trail intact: 8 events verified." in capsys.readouterr().out


def test_an_altered_row_is_named(trail):
    target = trail[3]
    with tampering():
        AuditEvent.objects.filter(pk=target.pk).update(after={"n": 99})
    assert _audit_verify_fails() == (
        f"Audit trail tampered: event #{target.pk} (thing.change): content does not match its hash."
    )


def test_a_deleted_row_in_the_middle_is_noticed(trail):
    with tampering():
        AuditEvent.objects.filter(pk=trail[4].pk).delete()
    assert _audit_verify_fails() == (
        f"Audit trail tampered: event #{trail[5].pk} (thing.change): prev_hash does not match the event before it."
    )


def test_deleted_newest_rows_are_noticed_against_the_anchor(trail):
    call_command("audit_anchor")
    with tampering():
        AuditEvent.objects.filter(pk__in=[trail[6].pk, trail[7].pk]).delete()
    assert verify_trail() is not None  # the remaining chain is intact in itself: only the anchor tells
    assert _audit_verify_fails() == (
        "Audit trail tampered: the chain has 6 events but 8 were anchored at "
        f"{_latest_anchor_time()} (newest anchored event #{trail[7].pk}): "
        "events were deleted or the table was truncated."
    )


def test_a_truncated_table_is_noticed_against_the_anchor(trail):
    call_command("audit_anchor")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() == 0
    assert "the chain has 0 events but 8 were anchored" in _audit_verify_fails()


def test_a_reordered_pair_is_noticed(trail):
    first, second = trail[2], trail[3]
    with tampering():  # swap the two rows' places in the id order
        AuditEvent.objects.filter(pk=first.pk).update(id=-1)
        AuditEvent.objects.filter(pk=second.pk).update(id=first.pk)
        AuditEvent.objects.filter(pk=-1).update(id=second.pk)
    assert _audit_verify_fails() == (
        f"Audit trail tampered: event #{first.pk} (thing.change): prev_hash does not match the event before it."
    )


def test_a_forged_append_with_a_valid_plain_hash_is_noticed(trail):
    last = trail[-1]
    forged = AuditEvent(
        created_at=last.created_at,
        actor_id=last.actor_id,
        actor_username=last.actor_username,
        action="item.release",
        object_type="governance.accessrequestitem",
        object_id="1",
        before={},
        after={"state": "released"},
        prev_hash=last.hash,
    )
    forged.hash = _plain_sha256(forged)
    forged.save(force_insert=True)  # INSERT is what the application itself may do: no trigger to disable
    assert _audit_verify_fails() == (
        f"Audit trail tampered: event #{forged.pk} (item.release): content does not match its hash."
    )


def test_an_edit_followed_by_rehashing_the_rest_of_the_chain_is_noticed(trail):
    """The attacker edits one row and recomputes every later prev_hash and hash, as the old unkeyed chain allowed."""
    events = list(AuditEvent.objects.order_by("id"))
    edited = events[2]
    edited.after = {"n": 99}
    prev = edited.prev_hash
    with tampering():
        for event in events[2:]:
            event.prev_hash = prev
            event.hash = _plain_sha256(event)
            AuditEvent.objects.filter(pk=event.pk).update(after=event.after, prev_hash=event.prev_hash, hash=event.hash)
            prev = event.hash
    assert _audit_verify_fails() == (
        f"Audit trail tampered: event #{edited.pk} (thing.change): content does not match its hash."
    )


def test_the_chain_depends_on_the_key_not_on_anything_in_the_database(trail, settings):
    settings.AUDIT_HMAC_KEY = "another-deployment's-key"
    assert verify_trail().event_id == trail[0].pk


def test_an_edited_anchor_line_is_noticed(trail, settings):
    call_command("audit_anchor")
    path = settings.AUDIT_ANCHOR_FILE
    path.write_text(path.read_text().replace('"count":8', '"count":3'))
    assert _audit_verify_fails() == f"Audit trail tampered: anchor log {path} line 1 is not an authentic anchor."


def test_a_tampered_trail_is_never_anchored(trail, settings):
    with tampering():
        AuditEvent.objects.filter(pk=trail[1].pk).update(action="thing.hidden")
    with pytest.raises(CommandError, match="Audit trail tampered, not anchored: event #"):
        call_command("audit_anchor")
    assert not settings.AUDIT_ANCHOR_FILE.exists()


def test_postgres_refuses_update_and_delete_of_audit_events(trail):
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError, match="append-only: UPDATE refused"), transaction.atomic():
        AuditEvent.objects.filter(pk=trail[0].pk).update(action="nothing.happened")
    with pytest.raises(DatabaseError, match="append-only: DELETE refused"), transaction.atomic():
        AuditEvent.objects.filter(pk=trail[0].pk).delete()
    assert verify_trail() is None


def _latest_anchor_time() -> str:
    from audit.anchors import read_anchors

    anchors, _problem = read_anchors()
    return anchors[-1].at
