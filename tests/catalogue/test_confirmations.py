"""Removing a consent form asks first and says whether it is deleted (draft) or withdrawn (published)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from catalogue.models import Consent, DuoTerm
from tests.catalogue.factories import ConsentFactory, DatasetFactory, DraftDatasetFactory

pytestmark = pytest.mark.django_db


def curator(cast) -> Client:
    client = Client()
    client.force_login(cast.olga_owner_curator)
    return client


def test_removing_a_draft_consent_asks_then_deletes(cast) -> None:
    draft = DraftDatasetFactory(partner=cast.partner_a, title="Draft cohort", slug="draft-cohort")
    consent = ConsentFactory(dataset=draft, form_version="v1", permission=DuoTerm.objects.get(short_code="GRU"))
    url = reverse("dataset_consent_delete", args=[draft.slug, consent.pk])

    response = curator(cast).post(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Remove consent form v1 of “Draft cohort”?" in html
    assert "The consent form is deleted: the dataset is a draft, so no history is kept." in html
    assert Consent.objects.filter(pk=consent.pk).exists()

    curator(cast).post(url, {"confirmed": "yes"})
    assert not Consent.objects.filter(pk=consent.pk).exists()


def test_removing_a_published_consent_says_it_is_withdrawn(cast) -> None:
    dataset = DatasetFactory(partner=cast.partner_a, title="Registry", slug="registry")
    kept = ConsentFactory(dataset=dataset, form_version="v1", permission=DuoTerm.objects.get(short_code="GRU"))
    removed = ConsentFactory(dataset=dataset, form_version="v2", permission=DuoTerm.objects.get(short_code="HMB"))
    url = reverse("dataset_consent_delete", args=[dataset.slug, removed.pk])

    html = curator(cast).get(url).content.decode()
    assert "The consent form is withdrawn" in html and "no longer admits any use" in html
    assert "matched again against the remaining consents" in html

    curator(cast).post(url, {"confirmed": "yes"})
    removed.refresh_from_db()
    kept.refresh_from_db()
    assert removed.withdrawn_at is not None and kept.withdrawn_at is None


def test_other_curators_cannot_reach_the_confirmation(cast) -> None:
    dataset = DatasetFactory(partner=cast.partner_a, slug="registry")
    consent = ConsentFactory(dataset=dataset)
    client = Client()
    client.force_login(cast.carl_other_curator)
    assert client.get(reverse("dataset_consent_delete", args=[dataset.slug, consent.pk])).status_code == 403
