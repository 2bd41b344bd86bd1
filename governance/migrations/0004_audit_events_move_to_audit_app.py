"""Move the audit trail from governance to the audit app (a fresh table, audit_auditevent).

The old chain (plain SHA-256) is verified first — a broken one is refused rather than laundered —
then copied in id order and re-chained with the keyed hash (AUDIT_HMAC_KEY) of audit.chain. New ids
are assigned by the new table (nothing refers to an event's id), so its sequence needs no reset and
the copy also works after the table has been handed to AUDIT_DB_OWNER_ROLE (INSERT only).
Finally the old table and its trigger function are dropped.
"""

import hashlib

from django.db import migrations

BATCH = 1000
GENESIS = "0" * 64


def _plain_digest(event):
    from audit.chain import canonical_json, timestamp

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


def copy_and_rechain(apps, schema_editor):
    from audit.chain import chain_key, event_digest

    OldEvent = apps.get_model("governance", "AuditEvent")
    NewEvent = apps.get_model("audit", "AuditEvent")
    key = chain_key()
    expected_prev, new_prev, batch = GENESIS, GENESIS, []
    for old in OldEvent.objects.order_by("id").iterator(chunk_size=BATCH):
        if old.prev_hash != expected_prev or _plain_digest(old) != old.hash:
            raise RuntimeError(
                f"governance audit event #{old.pk} ({old.action}) breaks the old chain: "
                "`manage.py migrate` refuses to re-key a tampered trail. Restore it from a backup first."
            )
        expected_prev = old.hash
        new = NewEvent(
            created_at=old.created_at,
            actor_id=old.actor_id,
            actor_username=old.actor_username,
            action=old.action,
            object_type=old.object_type,
            object_id=old.object_id,
            access_request_id=old.access_request_id,
            before=old.before,
            after=old.after,
            prev_hash=new_prev,
        )
        new.hash = event_digest(new, key)
        new_prev = new.hash
        batch.append(new)
        if len(batch) >= BATCH:
            NewEvent.objects.bulk_create(batch)
            batch = []
    NewEvent.objects.bulk_create(batch)


def drop_old_trigger_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS governance_audit_append_only() CASCADE", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0003_review_basis"),
        ("audit", "0002_append_only_trigger"),
    ]

    operations = [
        migrations.RunPython(copy_and_rechain, migrations.RunPython.noop),
        migrations.DeleteModel(name="AuditEvent"),
        migrations.RunPython(drop_old_trigger_function, migrations.RunPython.noop),
    ]
