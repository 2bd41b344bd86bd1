"""Retiring a dataset from the curator's page asks first, saying how many live access grants it revokes (told by
governance through catalogue.extensions), and acts only on the confirmation page's post."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from catalogue.models import DatasetStatus
from governance.models import AccessGrant, ItemState
from tests.governance.factories import released_item

pytestmark = pytest.mark.django_db


def curator_client(gov) -> Client:
    client = Client()
    client.force_login(gov.base.olga_owner_curator)
    return client


def test_retirement_asks_first_and_counts_the_grants_it_revokes(gov) -> None:
    item = released_item(gov)
    url = reverse("dataset_retire", args=[gov.dataset.slug])
    client = curator_client(gov)

    for response in (client.get(url), client.post(url)):  # the manage page's button posts without confirmation
        html = response.content.decode()
        assert response.status_code == 200
        assert "Retire “AHA AML cohort”?" in html
        assert "It revokes 1 live access grant at once: its holder loses access immediately." in html
        assert 'name="confirmed" value="yes"' in html
    gov.dataset.refresh_from_db()
    assert gov.dataset.status == DatasetStatus.PUBLISHED

    response = client.post(url, {"confirmed": "yes"}, follow=True)
    assert "is retired" in response.content.decode()
    gov.dataset.refresh_from_db()
    item.refresh_from_db()
    assert gov.dataset.status == DatasetStatus.RETIRED
    assert item.state == ItemState.REVOKED
    assert AccessGrant.objects.get(item=item).revoked_at is not None


def test_retirement_without_grants_says_none_is_revoked(gov) -> None:
    response = curator_client(gov).get(reverse("dataset_retire", args=[gov.dataset.slug]))
    assert "No live access grant depends on it: none is revoked." in response.content.decode()


def test_other_curators_get_no_confirmation_page(gov) -> None:
    client = Client()
    client.force_login(gov.base.carl_other_curator)
    assert client.get(reverse("dataset_retire", args=[gov.dataset.slug])).status_code == 403
