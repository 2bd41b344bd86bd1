"""Data-sharing agreements as documents: the holder's template filled from the request, the text shown before
signing, each signature's typed name, time and SHA-256 of the exact text, a changed text refused, and the PDF of
the signed agreement for both sides."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEvent
from governance import workflow
from governance.models import DataSharingAgreement
from governance.services.agreements import agreement_template_set, agreement_text_refresh
from harmony.errors import NotPermitted, RuleRefused
from tests.catalogue.factories import UserFactory
from tests.governance.factories import approved_item

pytestmark = pytest.mark.django_db


def client_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def agreement_of(item) -> DataSharingAgreement:
    return DataSharingAgreement.objects.get(request=item.request, holder=item.dataset.partner)


def test_the_agreement_text_is_rendered_from_the_request_at_approval(gov):
    item = approved_item(gov)
    agreement = agreement_of(item)
    request = item.request
    assert gov.dataset.title in agreement.text
    assert request.partner.name in agreement.text and gov.base.partner_a.name in agreement.text
    assert f"to {request.requested_end.isoformat()} inclusive" in agreement.text
    assert agreement.text_sha256 == hashlib.sha256(agreement.text.encode()).hexdigest()


def test_the_holders_template_is_used_and_unknown_placeholders_stay(gov):
    agreement_template_set(
        partner=gov.base.partner_a,
        body="AHA terms for {requester_partner}: {datasets} until {period_end}. {not_a_field}",
        actor=gov.base.olga_owner_curator,
    )
    item = approved_item(gov)
    text = agreement_of(item).text
    assert text == (
        f"AHA terms for {item.request.partner.name}: {gov.dataset.title} until "
        f"{item.request.requested_end.isoformat()}. {{not_a_field}}"
    )


def test_only_the_holders_curators_and_administrators_set_its_template(gov):
    with pytest.raises(NotPermitted):
        agreement_template_set(partner=gov.base.partner_a, body="x", actor=gov.base.carl_other_curator)
    with pytest.raises(RuleRefused):
        agreement_template_set(partner=gov.base.partner_a, body="{unclosed", actor=gov.base.ada_admin)


def test_the_sign_page_shows_the_text_and_signing_records_name_time_and_hash(gov):
    item = approved_item(gov)
    agreement = agreement_of(item)
    url = reverse("governance:agreement_sign", args=[agreement.pk])
    rita = client_as(gov.base.rita_researcher)
    html = rita.get(url + "?side=requester").content.decode()
    assert gov.dataset.title in html and agreement.text_sha256 in html
    response = rita.post(url, {"side": "requester", "signed_name": "", "text_sha256": agreement.text_sha256})
    assert 'id="id_signed_name_error"' in response.content.decode()
    rita.post(url, {"side": "requester", "signed_name": "Rita Rossi", "text_sha256": agreement.text_sha256})
    agreement.refresh_from_db()
    assert agreement.requester_signed_name == "Rita Rossi"
    assert agreement.requester_signed_sha256 == agreement.text_sha256
    assert agreement.requester_signed_at is not None
    event = AuditEvent.objects.filter(action="agreement.sign").latest("id")
    assert event.after["signed_name"] == "Rita Rossi" and event.after["text_sha256"] == agreement.text_sha256


def test_a_changed_text_is_not_signed(gov):
    item = approved_item(gov)
    agreement = agreement_of(item)
    client = APIClient()
    client.force_authenticate(gov.base.rita_researcher)
    answer = client.post(f"/api/v1/agreements/{agreement.pk}/sign/", {"side": "requester", "text_sha256": "0" * 64})
    assert answer.status_code == 409
    assert "changed since you read it" in answer.json()["detail"]
    agreement.refresh_from_db()
    assert agreement.requester_signed_at is None


def test_the_text_is_frozen_at_the_first_signature(gov):
    item = approved_item(gov)
    agreement = agreement_of(item)
    workflow.agreement_sign(agreement=agreement, actor=gov.base.rita_researcher, side="requester", signed_name="Rita")
    signed_text = agreement_of(item).text
    agreement_template_set(partner=gov.base.partner_a, body="New terms.", actor=gov.base.ada_admin)
    agreement = agreement_of(item)
    agreement_text_refresh(agreement)
    assert agreement_of(item).text == signed_text


def test_both_sides_download_the_signed_agreement_as_pdf(gov):
    item = approved_item(gov)
    agreement = agreement_of(item)
    pdf_url = reverse("governance:agreement_pdf", args=[agreement.pk])
    assert client_as(gov.base.rita_researcher).get(pdf_url).status_code == 403  # not signed by both yet
    workflow.agreement_sign(agreement=agreement, actor=gov.base.rita_researcher, side="requester", signed_name="Rita")
    workflow.agreement_sign(
        agreement=agreement_of(item), actor=gov.base.olga_owner_curator, side="holder", signed_name="Olga Ölmann"
    )
    for user in (gov.base.rita_researcher, gov.base.olga_owner_curator):
        response = client_as(user).get(pdf_url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
    assert client_as(UserFactory(username="outsider")).get(pdf_url).status_code == 404
