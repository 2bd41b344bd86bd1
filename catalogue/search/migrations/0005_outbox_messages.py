# The search outbox becomes the `search.sync` kind of the one outbox (harmony.outbox).

from django.db import migrations


def move_pending_changes(apps, schema_editor):
    """Carry over changes not yet applied, so the index misses nothing across the upgrade."""
    OldSearchChange = apps.get_model("search", "SearchChange")
    OutboxMessage = apps.get_model("outbox", "OutboxMessage")
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                kind="search.sync",
                payload={"dataset_id": change.dataset_id},
                created_at=change.created_at,
                attempts=change.attempts,
                last_error=change.last_error,
            )
            for change in OldSearchChange.objects.order_by("id").iterator()
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_initial"),
        ("search", "0004_entry_digests"),
    ]

    operations = [
        migrations.RunPython(move_pending_changes, migrations.RunPython.noop),
        migrations.DeleteModel(name="SearchChange"),
        migrations.CreateModel(
            name="SearchChange",
            fields=[],
            options={"ordering": ["id"], "proxy": True, "indexes": [], "constraints": []},
            bases=("outbox.outboxmessage",),
        ),
    ]
