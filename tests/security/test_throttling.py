"""API rate limits: past the configured rate a client gets 429 with Retry-After in the API's error shape."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import api_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(settings):
    settings.API_THROTTLE_RATES = {"anon": "3/minute", "user": "5/minute", "write": "2/minute"}


def test_anonymous_clients_are_limited_per_address(low_rates):
    client = APIClient()
    url = reverse("dataset-list")
    assert [client.get(url, REMOTE_ADDR="203.0.113.7").status_code for _ in range(4)] == [200, 200, 200, 429]
    throttled = client.get(url, REMOTE_ADDR="203.0.113.7")
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert throttled.json()["detail"].startswith("Request was throttled.")
    assert client.get(url, REMOTE_ADDR="198.51.100.9").status_code == 200


def test_signed_in_clients_are_limited_per_account(low_rates, cast):
    client = api_as(cast.rita_researcher)
    url = reverse("dataset-list")
    assert [client.get(url).status_code for _ in range(6)] == [200] * 5 + [429]
    assert api_as(cast.carl_other_curator).get(url).status_code == 200


def test_writes_have_a_stricter_limit(low_rates, cast):
    client = api_as(cast.olga_owner_curator)
    url = reverse("dataset-list")
    statuses = [client.post(url, {}, format="json").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
    assert client.get(url).status_code == 200  # reads still have their own budget
