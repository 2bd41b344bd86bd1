"""The whole happy path through the API: draft → submit → review (with a round of changes) → approval →
agreement → release → download → revocation, checking states, notifications and the audit trail."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import verify_trail
from catalogue.models import Distribution, DistributionKind
from governance.models import Download, Notification
from tests.conftest import api_as
from tests.governance.factories import valid_use

pytestmark = pytest.mark.django_db


def test_request_to_download_through_the_api(gov, private_storage):
    rita, olga = gov.base.rita_researcher, gov.base.olga_owner_curator
    today = timezone.localdate()
    body = {**valid_use(), "partner": gov.base.partner_b.pk, "items": [{"dataset": gov.dataset.pk}]}
    body["requested_start"] = body["requested_start"].isoformat()
    body["requested_end"] = body["requested_end"].isoformat()
    body["ethics_expiry"] = body["ethics_expiry"].isoformat()

    created = api_as(rita).post("/api/v1/access-requests/", body, format="json")
    assert created.status_code == 201, created.json()
    request_id = created.json()["id"]
    assert created.json()["state"] == "draft"
    assert created.json()["requester"] == "rita"

    edited = api_as(rita).patch(f"/api/v1/access-requests/{request_id}/", {"title": "AML in the elderly"})
    assert edited.status_code == 200
    assert edited.json()["title"] == "AML in the elderly"

    submitted = api_as(rita).post(f"/api/v1/access-requests/{request_id}/submit/")
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["state"] == "under_review"
    item = submitted.json()["items"][0]
    item_id = item["id"]
    assert item["consent_match"] == {
        "compatible": True,
        "needs_review": False,
        "reasons": [],
        "notes": [],
        "reason_codes": [],
        "note_codes": [],
    }
    assert item["dac"]["name"] == "AHA Data Access Committee"
    assert item["tally"] is None  # the requester does not see the DAC's tally

    queue = api_as(gov.chair).get("/api/v1/access-request-items/?awaiting_my_vote=true").json()
    assert [entry["id"] for entry in queue["results"]] == [item_id]
    assert queue["results"][0]["my_recusal"] == {"recused": False, "reason": ""}
    recused_view = api_as(gov.recused_member).get(f"/api/v1/access-request-items/{item_id}/").json()
    assert recused_view["my_recusal"] == {
        "recused": True,
        "reason": "You are affiliated with the requesting partner UNB.",
    }
    assert api_as(gov.recused_member).get("/api/v1/access-request-items/?awaiting_my_vote=true").json()["count"] == 0
    assert Notification.objects.filter(user=gov.chair, verb="item_awaits_review").count() == 1
    assert not Notification.objects.filter(user=gov.recused_member).exists()

    # Round 1: the chair approves, the member asks for changes.
    vote = api_as(gov.chair).post(f"/api/v1/access-request-items/{item_id}/votes/", {"decision": "approve"})
    assert vote.status_code == 201
    changes = api_as(gov.member).post(
        f"/api/v1/access-request-items/{item_id}/votes/", {"decision": "changes", "reason": "Specify the age bands."}
    )
    assert changes.status_code == 201
    assert api_as(rita).get(f"/api/v1/access-requests/{request_id}/").json()["state"] == "changes_requested"
    assert Notification.objects.filter(user=rita, verb="item_changes_requested").exists()

    fixed = api_as(rita).patch(f"/api/v1/access-requests/{request_id}/", {"lay_summary": "Patients aged 60-69, 70+."})
    assert fixed.status_code == 200
    resubmitted = api_as(rita).post(f"/api/v1/access-requests/{request_id}/resubmit/")
    assert resubmitted.status_code == 200
    assert resubmitted.json()["items"][0]["review_round"] == 2
    assert resubmitted.json()["state"] == "under_review"

    # Round 2: both eligible members approve (the majority of 2).
    for member in (gov.chair, gov.member):
        response = api_as(member).post(f"/api/v1/access-request-items/{item_id}/votes/", {"decision": "approve"})
        assert response.status_code == 201, response.json()
    detail = api_as(gov.chair).get(f"/api/v1/access-request-items/{item_id}/").json()
    assert detail["state"] == "approved"
    assert detail["tally"]["approvals"] == 2
    assert detail["tally"]["eligible"] == 2
    assert detail["tally"]["outcome"] == "approved"
    assert Notification.objects.filter(user=rita, verb="item_approved").exists()
    assert Notification.objects.filter(user=olga, verb="agreement_awaits_signature").exists()

    agreements = api_as(rita).get(f"/api/v1/agreements/?request={request_id}").json()["results"]
    assert len(agreements) == 1
    agreement_id = agreements[0]["id"]
    signed = api_as(rita).post(f"/api/v1/agreements/{agreement_id}/sign/", {"side": "requester"})
    assert signed.status_code == 200
    assert signed.json()["is_complete"] is False
    signed = api_as(olga).post(f"/api/v1/agreements/{agreement_id}/sign/", {"side": "holder"})
    assert signed.json()["is_complete"] is True
    assert api_as(olga).get(f"/api/v1/access-request-items/{item_id}/").json()["state"] == "agreement_signed"

    released = api_as(olga).post(f"/api/v1/access-request-items/{item_id}/release/")
    assert released.status_code == 201, released.json()
    grant = released.json()
    assert grant["grantee"] == "rita"
    assert grant["live"] is True
    assert grant["valid_until"] == (today + datetime.timedelta(days=365)).isoformat()
    assert Notification.objects.filter(user=rita, verb="item_released").exists()
    assert Notification.objects.filter(user=olga, verb="item_released").exists()

    distribution = Distribution.objects.create(
        dataset=gov.dataset,
        title="Analysis extract",
        kind=DistributionKind.FILE,
        file=ContentFile(b"patient,age\n1,71\n", name="extract.csv"),
    )
    download = api_as(rita).get(f"/api/v1/downloads/{distribution.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"patient,age\n1,71\n"
    assert download["Content-Disposition"] == 'attachment; filename="extract.csv"'
    assert Download.objects.filter(user=rita, distribution=distribution).count() == 1

    revoked = api_as(gov.secretary).post(f"/api/v1/grants/{grant['id']}/revoke/", {"reason": "Breach of the DSA."})
    assert revoked.status_code == 200
    assert revoked.json()["live"] is False
    refused = api_as(rita).get(f"/api/v1/downloads/{distribution.pk}/")
    assert refused.status_code == 403
    assert refused.json()["detail"] == f"Your access grant was revoked on {today}: Breach of the DSA."

    actions, url = [], f"/api/v1/audit-events/?request={request_id}"
    while url:  # every page of the trail
        body = api_as(rita).get(url).json()
        actions += [event["action"] for event in body["results"]]
        url = body["next"]
    assert actions[:4] == ["request.create", "request.update", "item.submit", "item.start_review"]
    assert actions[-3:] == ["item.release", "download", "item.revoke"]
    assert "agreement.sign" in actions
    assert verify_trail() is None
    assert AuditEvent.objects.filter(action="download.refused").count() == 1

    dashboard = api_as(gov.chair).get("/api/v1/governance/dashboard/").json()
    assert dashboard["requests_by_state"] == {"revoked": 1}
    assert dashboard["per_dac"][0]["items_released"] == 1
    assert dashboard["per_dac"][0]["median_days_to_release"] == 0.0

    inbox = api_as(rita).get("/api/v1/notifications/").json()
    assert inbox["count"] >= 4
    first = inbox["results"][0]["id"]
    assert api_as(rita).post(f"/api/v1/notifications/{first}/read/").json()["read_at"] is not None
