"""search_reindex, search_sync and search_check: thin wrappers with honest exit statuses."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from catalogue.models import Dataset
from catalogue.search.backends import reset_search_backends
from catalogue.search.models import SearchChange
from catalogue.search.outbox import record_dataset_changes
from tests.catalogue.factories import DatasetFactory, VariableFactory


@pytest.fixture(autouse=True)
def _database_backend():
    with override_settings(SEARCH_BACKEND="database", SEARCH_SYNC_ON_COMMIT=False):
        yield


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_reindex_then_check_is_clean(db):
    dataset = DatasetFactory()
    VariableFactory.create_batch(3, dataset=dataset)
    assert "Indexed 1 datasets and 3 variables with the database backend" in run("search_reindex", "--chunk-size", "1")
    assert "matches the database" in run("search_check")


def test_check_exits_non_zero_and_names_the_differences(db):
    run("search_reindex")
    dataset = DatasetFactory()  # never indexed
    record_dataset_changes([dataset.pk])
    out = StringIO()
    with pytest.raises(CommandError, match="differs from the database") as raised:
        call_command("search_check", stdout=out)
    assert raised.value.returncode == 1
    assert f"missing datasets (1): {dataset.pk}" in out.getvalue()
    assert "1 changes are waiting in the outbox" in out.getvalue()


def test_sync_applies_the_outbox(db):
    dataset = DatasetFactory()
    record_dataset_changes([dataset.pk])
    assert "Applied 1 changes (1 datasets); 0 pending." in run("search_sync", "--batch-size", "10")
    assert not SearchChange.objects.exists()
    assert "matches the database" in run("search_check")


def test_sync_fails_loudly_when_the_backend_is_down(db):
    record_dataset_changes([DatasetFactory().pk])
    with (
        override_settings(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL="http://127.0.0.1:9"),
        pytest.raises(CommandError, match="changes kept for the next run"),
    ):
        reset_search_backends()
        run("search_sync")
    assert SearchChange.objects.get().attempts == 1


def test_commands_reject_bad_sizes(db):
    with pytest.raises(CommandError, match="--chunk-size must be at least 1"):
        run("search_reindex", "--chunk-size", "0")
    with pytest.raises(CommandError, match="--batch-size must be at least 1"):
        run("search_sync", "--batch-size", "0")
    assert Dataset.objects.count() == 0
