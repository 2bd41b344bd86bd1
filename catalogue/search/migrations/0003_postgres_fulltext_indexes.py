"""GIN indexes on the tsvector columns and prefix indexes, created only on PostgreSQL (SQLite has no GIN)."""

from django.db import migrations

INDEXES = {
    "search_datasetentry_vector_gin": "search_datasetentry USING gin (vector)",
    "search_variableentry_vector_gin": "search_variableentry USING gin (vector)",
    # Suggestions are prefix matches on the normalised title or name.
    "search_datasetentry_exact_prefix": "search_datasetentry (exact text_pattern_ops)",
    "search_variableentry_exact_prefix": "search_variableentry (exact text_pattern_ops)",
}


def create_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, target in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_entries")]

    operations = [migrations.RunPython(create_gin_indexes, drop_gin_indexes)]
