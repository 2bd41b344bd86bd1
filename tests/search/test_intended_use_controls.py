"""The "My intended use" control group of the search, compare and feasibility pages: one accessible fieldset with
the DUO definitions as help, remembered for the session across the three pages, and a refused value shown as
the field's message (the API's own message, HTTP 400)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.search.conftest import Corpus, sync

SEARCH = reverse("search:search")
COMPARE = reverse("dataset_compare")
FEASIBILITY = reverse("search:feasibility")
BOTH = "?datasets=aml-cohort-munchen&datasets=myeloma-registry-madrid"


@pytest.fixture
def indexed_db(corpus: Corpus, settings) -> Corpus:
    settings.SEARCH_BACKEND = "database"
    from catalogue.search.backends.database import DatabaseSearchBackend

    sync(DatabaseSearchBackend())
    return corpus


def html(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("url", [SEARCH + "?q=", COMPARE, FEASIBILITY])
def test_each_page_has_the_one_control_group_with_duo_definitions_as_help(indexed_db, url: str) -> None:
    page = html(Client().get(url))
    assert page.count('<fieldset class="intended-use-fields" id="intended-use"') == 1
    assert re.search(r"<legend( class=\"visually-hidden\")?>My intended use</legend>", page)
    assert '<label for="use-purpose">Purpose</label>' in page
    # DS is explained by DUO:0000007's definition, the publication condition by PUB's
    assert "use is allowed provided it is related to the specified disease" in page
    assert re.search(r'aria-describedby="use_will_publish-help"> I will publish the results', page)
    assert 'id="use_will_publish-help">PUB — publication required: This data use modifier' in page
    assert "<legend>The project involves</legend>" in page


def test_a_use_stated_on_search_is_remembered_by_compare_and_feasibility(indexed_db) -> None:
    client = Client()
    assert client.get(SEARCH, {"q": "", "use_purpose": "HMB"}).status_code == 200
    compare = html(client.get(COMPARE + BOTH))
    assert '<option value="HMB" selected>' in compare
    assert "Admits my use (HMB)" in compare
    assert "The consent requires the results to be published (PUB)" in compare  # Munich's consent asks for PUB
    feasibility = html(client.get(FEASIBILITY, {"concepts": "HGNC:NPM1"}))
    assert "Admits my use (HMB)" in feasibility
    assert "Consent does not admit this use" in feasibility

    # Stating another use on compare replaces it; an empty purpose forgets it.
    client.get(COMPARE + BOTH + "&use_purpose=HMB&use_will_publish=true")
    assert '<input type="checkbox" name="use_will_publish" value="true" checked' in html(client.get(SEARCH, {"q": ""}))
    client.get(SEARCH, {"q": "", "use_purpose": ""})
    assert "State your intended use above" in html(client.get(COMPARE + BOTH))


def test_an_address_with_a_use_wins_over_the_remembered_one(indexed_db) -> None:
    client = Client()
    client.get(SEARCH, {"q": "", "use_purpose": "GRU"})
    page = html(client.get(COMPARE + BOTH + "&use_purpose=POA"))
    assert "Admits my use (POA)" in page


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"use_purpose": "XYZ"}, "use-purpose", "Unknown research purpose &#x27;XYZ&#x27;"),
        ({"use_purpose": "DS"}, "use-disease", "Disease-specific research (DS) needs the disease it is about."),
        ({"use_purpose": "HMB", "use_countries": "DE, XX"}, "use-countries", "Unknown country &#x27;XX&#x27;"),
    ],
)
@pytest.mark.parametrize("url", [SEARCH, COMPARE, FEASIBILITY])
def test_a_refused_value_is_shown_next_to_its_control_and_not_remembered(
    indexed_db, url: str, params: dict, field: str, message: str
) -> None:
    client = Client()
    response = client.get(url, {"q": "", "concepts": "HGNC:NPM1", **params})
    assert response.status_code == 400
    page = html(response)
    assert re.search(rf'<p class="field-error" id="{field}-error">[^<]*{re.escape(message)}', page), page
    assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', page)
    assert "State your intended use above" in html(client.get(COMPARE + BOTH))


def test_countries_are_typed_as_a_list(indexed_db) -> None:
    client = Client()
    response = client.get(SEARCH, {"q": "", "use_purpose": "HMB", "use_countries": "de, fr"})
    assert response.status_code == 200
    assert 'name="use_countries" autocomplete="off" value="DE, FR"' in html(response)


def test_the_control_group_reads_in_german(indexed_db) -> None:
    page = html(Client().get(SEARCH, {"q": ""}, HTTP_ACCEPT_LANGUAGE="de"))
    assert '<legend class="visually-hidden">Meine beabsichtigte Nutzung</legend>' in page
    assert "Ich werde die Ergebnisse veröffentlichen" in page


def test_the_csv_link_carries_a_remembered_use(indexed_db) -> None:
    client = Client()
    client.get(COMPARE + BOTH + "&use_purpose=HMB")
    page = html(client.get(SEARCH, {"q": ""}))
    assert re.search(r'href="/search/results\.csv\?[^"]*use_purpose=HMB', page)
