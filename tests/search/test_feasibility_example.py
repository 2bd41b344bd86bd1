"""The feasibility page's example is real: a dataset built from the demo catalogue's AML variable templates (as
``seed_demo`` builds its AML dictionaries, laboratory values per time point) holds every term of it, and the page
links it. (Seeding the whole demo and indexing it takes minutes; the templates are what the demo is made of.)"""

from __future__ import annotations

import pytest
from django.test import Client

from catalogue.demo.variables import BY_DISEASE, COMMON, LAB_TESTS
from catalogue.search import selectors
from catalogue.search.sync import rebuild_index
from catalogue.search.views import FEASIBILITY_EXAMPLE
from tests.catalogue.factories import ConceptFactory, DatasetFactory, VariableFactory


@pytest.mark.django_db
def test_the_example_finds_a_dataset_made_like_the_demos_aml_datasets(cast):
    dataset = DatasetFactory(partner=cast.partner_a, slug="demo-like-aml", diseases=["AML"], patient_count=400)
    templates = [*COMMON, *BY_DISEASE["AML"]] + [
        template._replace(name=f"{template.name}_dx", label=f"{template.label} at diagnosis") for template in LAB_TESTS
    ]
    for position, template in enumerate(templates):
        variable = VariableFactory(
            dataset=dataset, name=template.name, label=template.label, value_type=template.value_type, position=position
        )
        variable.concepts.set(
            [
                ConceptFactory(vocabulary_id=vocabulary, code=code, name=name)
                for vocabulary, code, name in template.concepts
            ]
        )
    rebuild_index()

    result = selectors.feasibility(user=None, concepts=FEASIBILITY_EXAMPLE)
    assert [row.dataset["slug"] for row in result.datasets] == ["demo-like-aml"]
    assert [match.variable["name"] for match in result.datasets[0].matches] == ["npm1_mutation", "flt3_itd", "wbc_dx"]

    html = Client().get("/search/feasibility/").content.decode()
    assert "?concepts=HGNC%3ANPM1%0AFLT3-ITD%20status%0ALOINC%3A6690-2" in html
    assert "HGNC:NPM1, FLT3-ITD status, LOINC:6690-2" in html
