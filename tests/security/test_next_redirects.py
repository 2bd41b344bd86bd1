"""Every form that redirects to a posted ``next`` stays on this site: an open redirect would let a phishing
link bounce a signed-in user from a real HARMONY page to any address."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from governance.models import DataSharingAgreement
from governance.services.agreements import agreement_text, text_sha256
from tests.governance.factories import approved_item, submitted_item

pytestmark = pytest.mark.django_db

OFFSITE = ["https://evil.example/phish", "//evil.example/phish", "javascript:alert(1)", "https:/\\evil.example"]


def client_as(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("target", OFFSITE)
def test_basket_add_ignores_an_offsite_next(gov, target):
    response = Client().post(reverse("governance:basket_add"), {"dataset": gov.dataset.slug, "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("governance:basket")


def test_basket_add_follows_a_local_next(gov):
    here = reverse("dataset_detail", args=[gov.dataset.slug])
    response = Client().post(reverse("governance:basket_add"), {"dataset": gov.dataset.slug, "next": here})
    assert response["Location"] == here


@pytest.mark.parametrize("target", OFFSITE)
def test_comment_add_ignores_an_offsite_next(gov, target):
    item = submitted_item(gov)
    response = client_as(gov.base.rita_researcher).post(
        reverse("governance:comment_add", args=[item.request_id]), {"body": "A question.", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("governance:request_detail", args=[item.request_id]) + "#comments"


def test_comment_add_follows_a_local_next(gov):
    item = submitted_item(gov)
    here = reverse("governance:item_review", args=[item.pk])
    response = client_as(gov.chair).post(
        reverse("governance:comment_add", args=[item.request_id]), {"body": "Noted.", "next": here}
    )
    assert response["Location"] == here


def _signature(agreement: DataSharingAgreement, next_url: str) -> dict[str, str]:
    """A complete holder-side signature of the text the sign page shows, with ``next``."""
    text = agreement.text or agreement_text(agreement)
    return {"side": "holder", "signed_name": "Olga Owner", "text_sha256": text_sha256(text), "next": next_url}


@pytest.mark.parametrize("target", OFFSITE)
def test_agreement_sign_ignores_an_offsite_next(gov, target):
    item = approved_item(gov)
    agreement = DataSharingAgreement.objects.get(request=item.request)
    response = client_as(gov.base.olga_owner_curator).post(
        reverse("governance:agreement_sign", args=[agreement.pk]), _signature(agreement, target)
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("governance:request_detail", args=[item.request_id])


def test_agreement_sign_follows_a_local_next(gov):
    item = approved_item(gov)
    agreement = DataSharingAgreement.objects.get(request=item.request)
    here = reverse("governance:release_page", args=[item.pk])
    response = client_as(gov.base.olga_owner_curator).post(
        reverse("governance:agreement_sign", args=[agreement.pk]), _signature(agreement, here)
    )
    assert response["Location"] == here


@pytest.mark.parametrize("target", OFFSITE)
def test_login_ignores_an_offsite_next(gov, target):
    response = Client().post(
        reverse("login") + "?next=" + target, {"username": "rita", "password": "harmony-test"}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
