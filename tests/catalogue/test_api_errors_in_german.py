"""The catalogue API answers in the language the client asks for (``Accept-Language``): the error's ``detail``,
``reasons`` and field messages are German for ``de``, while the ``code`` and the field names stay the same."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.catalogue.api_helpers import client_for

pytestmark = pytest.mark.django_db

NEW_DATASET = {"title": "Heidelberger AML-Register", "disease_areas": ["AML"], "patient_countries": ["DE"]}


def german_client(user) -> APIClient:
    client = APIClient(headers={"accept-language": "de"})
    client.force_authenticate(user)
    return client


def test_field_messages_are_german_and_the_shape_is_unchanged(cast):
    body = {**NEW_DATASET, "partner": "aha", "collection_start": "2020-01-01", "collection_end": "2000-01-01"}
    body |= {"patient_countries": ["XX"]}
    response = german_client(cast.olga_owner_curator).post("/api/v1/datasets/", body, format="json")
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid"
    assert error["detail"] == "Ungültige Eingabe."
    assert error["fields"] == {
        "collection_end": ["Der Erhebungszeitraum darf nicht vor seinem Beginn enden."],
        "patient_countries": ["Unbekannte(r) Ländercode(s): XX."],
    }
    english = client_for(cast, "olga_owner_curator").post("/api/v1/datasets/", body, format="json").json()
    assert english["code"] == "invalid" and list(english["fields"]) == list(error["fields"])
    assert english["fields"]["collection_end"] == ["The collection period must not end before it starts."]


def test_a_refusal_by_the_policy_is_german(cast):
    response = german_client(cast.carl_other_curator).post(
        "/api/v1/datasets/", {**NEW_DATASET, "partner": "aha"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_permitted"
    assert response.json()["detail"] == (
        "Nur Kuratorinnen und Kuratoren von Academic Hospital A können dessen Datensätze registrieren oder ändern."
    )


def test_the_frameworks_own_messages_follow_too(cast):
    response = APIClient(headers={"accept-language": "de"}).post("/api/v1/datasets/", {}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "not_authenticated"
    assert response.json()["detail"] == "Anmeldedaten fehlen."
