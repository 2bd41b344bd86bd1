"""The MONDO migration on a catalogue that already holds DS consents (a deployed registry, not a fresh one)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from catalogue.models import Consent, DiseaseArea, DuoTerm, MondoTerm
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


@pytest.mark.django_db(transaction=True)
def test_migrating_back_gives_each_ds_consent_its_disease_area_again():
    """Before the fix, migrating back past 0012 failed on any DS consent: the old constraint (a DS consent names an
    area) came back before anything had filled the restored column."""
    on_aml = ConsentFactory()
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    aml = DiseaseArea.objects.get(code="AML")
    on_aml.permission = DuoTerm.objects.get(short_code="DS")
    on_aml.save()
    on_aml.diseases.set([aml.mondo_id])
    try:
        old = _migrate(BEFORE).loader.project_state(BEFORE).apps
        row = old.get_model("catalogue", "Consent").objects.get(pk=on_aml.pk)
        assert row.disease_id == aml.pk
    finally:
        _migrate(leaves)


@pytest.mark.django_db(transaction=True)
def test_migrating_back_stops_with_the_ds_consents_the_old_schema_cannot_hold():
    """A DS consent whose diseases are no disease area cannot be written back; the operator is told which."""
    on_subtype = ConsentFactory()
    on_subtype.permission = DuoTerm.objects.get(short_code="DS")
    on_subtype.save()
    areas = set(DiseaseArea.objects.exclude(mondo_id=None).values_list("mondo_id", flat=True))
    subtype = MondoTerm.objects.exclude(pk__in=areas).order_by("pk").first()
    on_subtype.diseases.set([subtype])
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        with pytest.raises(RuntimeError, match=rf"DS consent\(s\) {on_subtype.pk} name no disease"):
            _migrate(BEFORE)
    finally:
        _migrate(leaves)
