"""The search API's parameter errors are worded in the request's language; fields and codes stay the same."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("params", "field", "german"),
    [
        ({"use_purpose": "XYZ"}, "use_purpose", "Unbekannter Forschungszweck 'XYZ'"),
        ({"use_purpose": "DS"}, "use_disease", "Krankheitsspezifische Forschung (DS)"),
        ({"use_purpose": "HMB", "use_countries": "ZZ"}, "use_countries", "Unbekanntes Land 'ZZ'"),
        ({"use_purpose": "HMB", "use_institution": "nowhere"}, "use_institution", "Unbekannte Einrichtung 'nowhere'"),
        ({"use_commercial": "true"}, "use_purpose", "Geben Sie den Forschungszweck"),
        ({"lang": "xx"}, "lang", "Unbekannte Sprache 'xx': Verwenden Sie eine von da, de, en"),
    ],
)
def test_a_refused_search_parameter_is_explained_in_german(client, params, field, german):
    answer = client.get("/api/v1/search/datasets/", params, HTTP_ACCEPT_LANGUAGE="de")
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "invalid"
    assert german in " ".join(body["fields"][field])
    english = client.get("/api/v1/search/datasets/", params, HTTP_ACCEPT_LANGUAGE="en").json()
    assert list(english["fields"]) == list(body["fields"])
    assert german not in " ".join(english["fields"][field])
