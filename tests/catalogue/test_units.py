"""Units on pages: readable names for UCUM codes, the raw code kept in a ``title``."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import Client

from catalogue.units import readable_unit
from tests.catalogue.factories import DatasetFactory, VariableFactory


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("a", "years"),
        ("mo", "months"),
        ("{ratio}", "ratio"),
        ("10*9/L", "\N{MULTIPLICATION SIGN}10⁹/L"),
        ("10*12/L", "\N{MULTIPLICATION SIGN}10¹²/L"),
        ("umol/L", "µmol/L"),
        ("ug/L", "µg/L"),
        ("kg/m2", "kg/m²"),
        ("[IU]/L", "IU/L"),
        ("g/dL", "g/dL"),
        # not in the table: UCUM's notation rules still apply
        ("10*6/L", "\N{MULTIPLICATION SIGN}10⁶/L"),
        ("{cells}/L", "cells/L"),
        ("mL/min/1.73m2", "mL/min/1.73m²"),
        ("", ""),
    ],
)
def test_readable_unit(code, name):
    assert readable_unit(code) == name


def test_unit_name_filter_keeps_the_code_in_a_title_and_escapes_it():
    template = Template('{% load harmony_ui %}{{ unit|unit_name|default:"—" }}')
    assert (
        template.render(Context({"unit": "10*9/L"}))
        == '<span class="unit" title="10*9/L">\N{MULTIPLICATION SIGN}10⁹/L</span>'
    )
    assert template.render(Context({"unit": ""})) == "—"
    assert (
        template.render(Context({"unit": '<b>"x"'}))
        == '<span class="unit" title="&lt;b&gt;&quot;x&quot;">&lt;b&gt;&quot;x&quot;</span>'
    )


@pytest.mark.django_db
def test_the_variable_table_shows_readable_units(cast):
    dataset = DatasetFactory(partner=cast.partner_a, slug="units")
    VariableFactory(dataset=dataset, name="age", label="Age at diagnosis", unit="a", position=1)
    VariableFactory(dataset=dataset, name="wbc", label="White cells", unit="10*9/L", position=2)
    html = Client().get(f"/datasets/{dataset.slug}/").content.decode()
    assert '<span class="unit" title="a">years</span>' in html
    assert '<span class="unit" title="10*9/L">\N{MULTIPLICATION SIGN}10⁹/L</span>' in html
