"""The outbox: written with the catalogue change, applied idempotently, nothing lost when the index is down."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from catalogue.search import selectors
from catalogue.search import sync as search_sync
from catalogue.search.backends import reset_search_backends
from catalogue.search.backends.database import DatabaseSearchBackend
from catalogue.search.models import DatasetEntry, SearchChange
from catalogue.search.outbox import record_dataset_changes
from catalogue.search.sync import apply_pending_changes
from tests.catalogue.factories import DatasetFactory, VariableFactory
from tests.search.conftest import make_elasticsearch_backend, sync

DEAD_URL = "http://127.0.0.1:9"  # the discard port: nothing listens there


@pytest.fixture
def dead_elasticsearch():
    backend = make_elasticsearch_backend(url=DEAD_URL, request_timeout=2)
    yield backend
    reset_search_backends()


def test_outbox_rows_roll_back_with_the_change(db):
    dataset = DatasetFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        record_dataset_changes([dataset.pk])
        raise RuntimeError("the catalogue write failed")
    assert not SearchChange.objects.exists()


def test_duplicate_ids_in_one_call_are_recorded_once(db):
    dataset = DatasetFactory()
    record_dataset_changes([dataset.pk, dataset.pk])
    assert SearchChange.objects.filter(dataset_id=dataset.pk).count() == 1


@override_settings(SEARCH_BACKEND="database", SEARCH_SYNC_ON_COMMIT=True)
def test_small_changes_are_applied_right_after_commit(db, django_capture_on_commit_callbacks):
    dataset = DatasetFactory(title="Leucémie aiguë")
    with django_capture_on_commit_callbacks(execute=True):
        record_dataset_changes([dataset.pk])
    assert not SearchChange.objects.exists()
    assert selectors.search_datasets(user=None, text="leucemie", backend=DatabaseSearchBackend()).total == 1


@override_settings(SEARCH_BACKEND="database", SEARCH_SYNC_ON_COMMIT=True)
def test_large_changes_are_left_to_the_worker(db, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(search_sync, "INLINE_SYNC_MAX_VARIABLES", 1)
    dataset = DatasetFactory()
    VariableFactory.create_batch(2, dataset=dataset)
    with django_capture_on_commit_callbacks(execute=True):
        record_dataset_changes([dataset.pk])
    assert SearchChange.objects.count() == 1
    assert apply_pending_changes(backend=DatabaseSearchBackend()).applied_changes == 1
    assert DatasetEntry.objects.filter(pk=dataset.pk).exists()


@override_settings(SEARCH_SYNC_ON_COMMIT=False)
def test_without_sync_on_commit_changes_wait_for_the_worker(db, django_capture_on_commit_callbacks):
    dataset = DatasetFactory()
    # Other after-commit work may run (the catalogue figures' recount); the search index must not change.
    with django_capture_on_commit_callbacks(execute=True):
        record_dataset_changes([dataset.pk])
    assert SearchChange.objects.count() == 1
    assert not DatasetEntry.objects.filter(pk=dataset.pk).exists()


def test_applying_a_change_twice_gives_the_same_index(db):
    backend = DatabaseSearchBackend()
    dataset = DatasetFactory()
    VariableFactory.create_batch(3, dataset=dataset)
    sync(backend, [dataset])
    first = backend.indexed_digests("variables")
    sync(backend, [dataset])
    assert backend.indexed_digests("variables") == first
    assert backend.check().clean


@override_settings(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL=DEAD_URL, SEARCH_SYNC_ON_COMMIT=True)
def test_catalogue_writes_succeed_when_elasticsearch_is_down(db, django_capture_on_commit_callbacks):
    reset_search_backends()
    dataset = DatasetFactory()
    with django_capture_on_commit_callbacks(execute=True):
        record_dataset_changes([dataset.pk])  # the after-commit sync fails quietly
    change = SearchChange.objects.get()
    assert change.attempts == 1
    assert "ConnectionError" in change.last_error
    reset_search_backends()


def test_failed_sync_keeps_the_rows_and_counts_attempts(db, dead_elasticsearch):
    dataset = DatasetFactory()
    record_dataset_changes([dataset.pk])
    for attempt in (1, 2):
        report = apply_pending_changes(backend=dead_elasticsearch)
        assert report.applied_changes == 0 and report.failed_changes == 1
        assert SearchChange.objects.get().attempts == attempt


@pytest.mark.elasticsearch
def test_elasticsearch_down_and_back_loses_nothing(db, elasticsearch_backend, dead_elasticsearch, corpus):
    sync(elasticsearch_backend)
    corpus.madrid_myeloma.title = "Myeloma registry Sevilla"
    corpus.madrid_myeloma.save()
    corpus.relapse_aml.variables.filter(name="npm1").delete()
    record_dataset_changes([corpus.madrid_myeloma.pk, corpus.relapse_aml.pk])

    down = apply_pending_changes(backend=dead_elasticsearch)  # Elasticsearch is unreachable
    assert down.error and SearchChange.objects.count() == 2
    assert elasticsearch_backend.check().stale["datasets"] == sorted([corpus.madrid_myeloma.pk, corpus.relapse_aml.pk])

    back = apply_pending_changes(backend=elasticsearch_backend)  # and back
    assert back.applied_changes == 2 and not SearchChange.objects.exists()
    assert elasticsearch_backend.check().clean
    hits = selectors.search_datasets(user=None, text="sevilla", backend=elasticsearch_backend).hits
    assert [hit.document["title"] for hit in hits] == ["Myeloma registry Sevilla"]


@override_settings(SEARCH_BACKEND="database", SEARCH_SYNC_ON_COMMIT=True)
def test_renaming_a_partner_updates_its_datasets_in_search(db, django_capture_on_commit_callbacks, admin_user):
    """Search documents carry the partner's name and country: changing them must reach the index."""
    from catalogue.services.partners import partner_save
    from tests.catalogue.factories import PartnerFactory

    partner = PartnerFactory(name="Old Hospital Name", country="NL")
    dataset = DatasetFactory(partner=partner, title="Acute myeloid leukaemia cohort")
    sync(DatabaseSearchBackend(), [dataset])
    partner.name = "Ospedale San Raffaele"
    partner.country = "IT"
    with django_capture_on_commit_callbacks(execute=True):
        partner_save(actor=admin_user, partner=partner)
    backend = DatabaseSearchBackend()
    renamed = selectors.search_datasets(user=None, text="raffaele", backend=backend)
    assert [hit.document["id"] for hit in renamed.hits if not hit.semantic_only] == [dataset.pk]
    italian = selectors.search_datasets(user=None, text="", filters={"country": ["IT"]}, backend=backend)
    assert [hit.document["id"] for hit in italian.hits] == [dataset.pk]


def test_saving_a_partner_unchanged_queues_no_search_work(db, admin_user):
    from catalogue.services.partners import partner_save
    from tests.catalogue.factories import PartnerFactory

    partner = PartnerFactory()
    DatasetFactory(partner=partner)
    SearchChange.objects.all().delete()
    partner_save(actor=admin_user, partner=partner)
    assert not SearchChange.objects.exists()
