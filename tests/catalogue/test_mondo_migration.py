"""The MONDO migration on a catalogue that already holds DS consents (a deployed registry, not a fresh one)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from catalogue.models import Consent, DuoTerm
from tests.catalogue.factories import ConsentFactory

BEFORE = [("catalogue", "0010_mondo_terms")]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_a_ds_consent_on_an_area_without_a_mondo_term_migrates_to_no_disease_and_admits_no_ds_use():
    """Before the fix the migration raised on a DS consent naming WM (no confirmed MONDO id), so a registry
    holding one could not be upgraded; widening it to an ancestor's term would admit research it never did."""
    # Created as HMB and made DS on WM / AML at the old schema (the schema before 0012 requires a DS disease).
    ds = DuoTerm.objects.get(short_code="DS").pk
    on_wm, on_aml = ConsentFactory(), ConsentFactory()
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()

    old = _migrate(BEFORE).loader.project_state(BEFORE).apps
    area = old.get_model("catalogue", "DiseaseArea")
    consents = old.get_model("catalogue", "Consent").objects
    consents.filter(pk=on_wm.pk).update(permission=ds, disease=area.objects.get(code="WM"))
    consents.filter(pk=on_aml.pk).update(permission=ds, disease=area.objects.get(code="AML"))

    _migrate(leaves)

    assert list(Consent.objects.get(pk=on_wm.pk).diseases.values_list("pk", flat=True)) == []
    assert list(Consent.objects.get(pk=on_aml.pk).diseases.values_list("pk", flat=True)) == [
        area.objects.get(code="AML").mondo_id
    ]
