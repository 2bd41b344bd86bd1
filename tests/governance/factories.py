"""Helpers to build governance objects through the real services (so states and audit events are genuine)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from catalogue.models import Dataset
from governance import services, workflow
from governance.models import AccessRequest, AccessRequestItem, DataSharingAgreement, VoteDecision
from governance.services import ItemSpec


def valid_use(**overrides: Any) -> dict[str, Any]:
    """Request fields that pass submission today: HMB research, published, ethics valid for a year."""
    today = timezone.localdate()
    fields = {
        "title": "Outcome of older AML patients",
        "lay_summary": "How older patients fare after induction therapy.",
        "scientific_aims": "Estimate overall survival by ELN 2022 risk group.",
        "purpose": "HMB",
        "will_publish": True,
        "requested_start": today,
        "requested_end": today + datetime.timedelta(days=365),
        "ethics_reference": "EC-2026-042",
        "ethics_expiry": today + datetime.timedelta(days=400),
    }
    fields.update(overrides)
    return fields


def draft_request(*, requester: Any, partner: Any, datasets: list[Dataset], **overrides: Any) -> AccessRequest:
    return services.request_create(
        requester=requester, partner=partner, items=[ItemSpec(dataset=d) for d in datasets], **valid_use(**overrides)
    )


def submitted_item(gov: Any, **overrides: Any) -> AccessRequestItem:
    access_request = draft_request(
        requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[gov.dataset], **overrides
    )
    workflow.submit(access_request=access_request, actor=gov.base.rita_researcher)
    return access_request.items.get()


def approved_item(gov: Any, **overrides: Any) -> AccessRequestItem:
    item = submitted_item(gov, **overrides)
    workflow.vote_cast(item=item, member=gov.chair, decision=VoteDecision.APPROVE)
    workflow.vote_cast(item=item, member=gov.member, decision=VoteDecision.APPROVE)
    item.refresh_from_db()
    return item


def signed_item(gov: Any, **overrides: Any) -> AccessRequestItem:
    item = approved_item(gov, **overrides)
    agreement = DataSharingAgreement.objects.get(request=item.request)
    workflow.agreement_sign(agreement=agreement, actor=gov.base.rita_researcher, side="requester")
    workflow.agreement_sign(agreement=agreement, actor=gov.base.olga_owner_curator, side="holder")
    item.refresh_from_db()
    return item


def released_item(gov: Any, **overrides: Any) -> AccessRequestItem:
    item = signed_item(gov, **overrides)
    workflow.release_item(item=item, actor=gov.base.olga_owner_curator)
    item.refresh_from_db()
    return item
