"""Maintained variable figures (catalogue.figures): the home page and statistics totals follow every change
without counting the catalogue's variables, whether the worker has run yet or not."""

from __future__ import annotations

import io

from catalogue.figures import FIGURES_REFRESH, refresh_dataset_figures
from catalogue.importers.dictionary import import_data_dictionary
from catalogue.models import VariableFigures
from catalogue.selectors import catalogue_statistics
from catalogue.services.datasets import dataset_retire
from catalogue.services.variables import variable_create, variable_delete
from harmony.outbox.models import OutboxMessage
from harmony.outbox.worker import drain
from tests.catalogue.factories import DatasetFactory

DICTIONARY = b"name,value_type,label\nage,integer,Age\nsex,text,Sex\nhb,decimal,Haemoglobin\n"


def figures(dataset) -> dict[str, int]:
    return dict(VariableFigures.objects.filter(dataset=dataset).values_list("value_type", "variables"))


def test_variable_totals_follow_creates_imports_deletes_and_retirement(cast):
    dataset = DatasetFactory(partner=cast.partner_a)
    assert catalogue_statistics().variables == 0
    created = variable_create(actor=cast.olga_owner_curator, dataset=dataset, name="blasts", value_type="decimal")
    # Read before any worker ran: the queued refresh is applied first.
    assert catalogue_statistics().variables == 1
    result = import_data_dictionary(actor=cast.olga_owner_curator, dataset=dataset, file=io.BytesIO(DICTIONARY))
    assert not result.errors
    assert catalogue_statistics().variables == 3  # the file replaces the dictionary: blasts is removed
    assert figures(dataset) == {"integer": 1, "text": 1, "decimal": 1}
    variable_delete(actor=cast.olga_owner_curator, variable=dataset.variables.get(name="sex"))
    assert catalogue_statistics().variables == 2
    assert not dataset.variables.filter(pk=created.pk).exists()
    dataset_retire(actor=cast.olga_owner_curator, dataset=dataset)
    assert catalogue_statistics().variables == 0  # published datasets only
    assert figures(dataset) == {"integer": 1, "decimal": 1}


def test_the_outbox_worker_keeps_the_figures(cast):
    dataset = DatasetFactory(partner=cast.partner_a)
    variable_create(actor=cast.olga_owner_curator, dataset=dataset, name="age", value_type="integer")
    assert OutboxMessage.objects.pending().filter(kind=FIGURES_REFRESH).exists()
    assert figures(dataset) == {}
    drain(kinds={FIGURES_REFRESH})
    assert figures(dataset) == {"integer": 1}
    assert not OutboxMessage.objects.pending().filter(kind=FIGURES_REFRESH).exists()


def test_a_refresh_is_idempotent_and_forgets_deleted_datasets(cast):
    dataset = DatasetFactory(partner=cast.partner_a)
    variable_create(actor=cast.olga_owner_curator, dataset=dataset, name="age", value_type="integer")
    refresh_dataset_figures([dataset.pk])
    refresh_dataset_figures([dataset.pk])
    assert figures(dataset) == {"integer": 1}
    dataset_id = dataset.pk
    dataset.variables.all().delete()
    dataset.delete()
    refresh_dataset_figures([dataset_id])
    assert not VariableFigures.objects.filter(dataset_id=dataset_id).exists()
