"""The governance API's refusals in German (``Accept-Language: de``): the workflow's state errors (409), the
rules' refusals with their reasons (400) and the policy's (403) — with the same ``code`` as in English."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.governance.factories import approved_item, draft_request, submitted_item

pytestmark = pytest.mark.django_db


def german_client(user) -> APIClient:
    client = APIClient(headers={"accept-language": "de"})
    client.force_authenticate(user)
    return client


def test_a_state_error_is_german_with_the_state_names_in_german(gov):
    item = submitted_item(gov)
    response = german_client(gov.secretary).post(f"/api/v1/access-request-items/{item.pk}/release/")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_state"
    assert response.json()["detail"] == (
        "Dieses Element kann nicht freigegeben werden: Status In Prüfung (möglich aus: Vereinbarung unterzeichnet)."
    )


def test_a_vote_on_a_decided_item_is_refused_in_german(gov):
    item = approved_item(gov)
    response = german_client(gov.chair).post(f"/api/v1/access-request-items/{item.pk}/votes/", {"decision": "approve"})
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Stimmen werden nur angenommen, solange das Element in Prüfung ist; Status: Genehmigt."
    )


def test_a_refused_submission_gives_its_reasons_in_german(gov):
    access_request = draft_request(
        requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[gov.dataset]
    )
    gov.dataset.status = "draft"  # unpublished after the draft named it
    gov.dataset.save(update_fields=["status"])
    response = german_client(gov.base.rita_researcher).post(f"/api/v1/access-requests/{access_request.pk}/submit/")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "rule_refused"
    assert body["detail"] == "Der Antrag kann nicht eingereicht werden."
    assert "Der Datensatz „AHA AML cohort“ ist nicht veröffentlicht." in body["reasons"]


def test_the_policys_refusal_is_german(gov):
    item = submitted_item(gov)
    response = german_client(gov.secretary).post(
        f"/api/v1/access-request-items/{item.pk}/votes/", {"decision": "approve"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_permitted"
    assert response.json()["detail"] == "DAC-Sekretariate stimmen nicht ab."


def test_a_missing_field_is_named_in_german(gov):
    response = german_client(gov.base.rita_researcher).post("/api/v1/access-requests/", {"title": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["fields"]["partner"] == ["Dieses Feld ist zwingend erforderlich."]
