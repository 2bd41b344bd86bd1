"""Drafting a request through the API: bad input is a 400 with field messages, and nothing is written."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from governance.models import AccessRequest
from tests.catalogue.factories import DraftDatasetFactory, VariableFactory
from tests.conftest import api_as

pytestmark = pytest.mark.django_db


def post(gov, **body):
    payload = {"partner": gov.base.partner_b.pk, "title": "A study", "items": [{"dataset": gov.dataset.pk}]}
    payload.update(body)
    return api_as(gov.base.rita_researcher).post("/api/v1/access-requests/", payload, format="json")


def test_a_variable_subset_is_kept(gov):
    npm1 = VariableFactory(dataset=gov.dataset, name="npm1_status")
    VariableFactory(dataset=gov.dataset, name="flt3_itd")
    response = post(gov, items=[{"dataset": gov.dataset.pk, "variables": [npm1.pk]}])
    assert response.status_code == 201
    assert response.json()["items"][0]["variables"] == [npm1.pk]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"purpose": "DS"}, "disease", "Disease-specific research must name the disease."),
        (
            {"requested_start": "2027-01-01", "requested_end": "2026-12-01"},
            "requested_end",
            "The requested end must be after the start.",
        ),
        ({"purpose": "XYZ"}, "purpose", '"XYZ" is not a valid choice.'),
        (
            {"disease": "NOPE"},
            "disease",
            "Unknown disease 'NOPE': give a MONDO id of the hematology subset (e.g. MONDO:0018874, "
            "acute myeloid leukemia) or a disease area code (e.g. AML).",
        ),
        ({"disease": "MONDO:0000000"}, "disease", None),
        ({"countries_of_use": ["DE", "XX"]}, "countries_of_use", None),
        ({"sensitive_research": ["astrology"]}, "sensitive_research", None),
        (
            {"publication_date": "30/06/2027"},
            "publication_date",
            "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
        ),
        ({"purpose": "MDS"}, "purpose", '"MDS" is not a valid choice.'),
        (
            {"ethics_expiry": "soon"},
            "ethics_expiry",
            "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
        ),
        ({"title": ""}, "title", "This field may not be blank."),
        ({"state": "approved"}, "state", None),
    ],
)
def test_bad_fields_are_refused_with_field_messages(gov, body, field, message):
    response = post(gov, **body)
    assert response.status_code == 400
    assert field in response.json()["fields"]
    if message:
        assert response.json()["fields"][field] == [message]
    assert not AccessRequest.objects.exists()
    assert not AuditEvent.objects.filter(action="request.create").exists()


def test_unpublished_duplicate_and_foreign_items_are_refused(gov):
    draft = DraftDatasetFactory(partner=gov.base.partner_a)
    response = post(gov, items=[{"dataset": draft.pk}])
    assert response.status_code == 400
    assert response.json()["fields"]["items"] == {
        "0": {"dataset": [f'Invalid pk "{draft.pk}" - object does not exist.']}
    }

    response = post(gov, items=[{"dataset": gov.dataset.pk}, {"dataset": gov.dataset.pk}])
    assert response.status_code == 400
    assert response.json()["fields"]["items"] == ["The dataset “AHA AML cohort” is requested twice."]

    foreign = VariableFactory(name="karyotype")
    response = post(gov, items=[{"dataset": gov.dataset.pk, "variables": [foreign.pk]}])
    assert response.status_code == 400
    assert response.json()["fields"]["items"] == ["Variables karyotype do not belong to “AHA AML cohort”."]
    assert not AccessRequest.objects.exists()


def test_the_partner_is_required_and_cannot_be_changed(gov):
    response = api_as(gov.base.rita_researcher).post("/api/v1/access-requests/", {"title": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"partner": ["This field is required."]}
    created = post(gov).json()
    response = api_as(gov.base.rita_researcher).patch(
        f"/api/v1/access-requests/{created['id']}/", {"partner": gov.base.partner_a.pk}
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"partner": ["The requesting partner cannot be changed."]}


def test_a_draft_can_be_deleted_by_its_requester(gov):
    created = post(gov).json()
    response = api_as(gov.base.rita_researcher).delete(f"/api/v1/access-requests/{created['id']}/")
    assert response.status_code == 204
    assert not AccessRequest.objects.exists()
    assert AuditEvent.objects.filter(action="request.delete", access_request_id=created["id"]).exists()
