"""Withdrawing a draft: the transition table and the database's check constraint agree (it used to 500)."""

from __future__ import annotations

import pytest

from governance.models import ItemState
from tests.conftest import api_as
from tests.governance.factories import draft_request

pytestmark = pytest.mark.django_db

DRAFT_NOT_WITHDRAWN = "A draft is not withdrawn: delete the request, or remove the dataset from it, instead."


def test_withdrawing_a_draft_item_is_refused_with_the_way_out(gov):
    access_request = draft_request(
        requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[gov.dataset]
    )
    item = access_request.items.get()
    response = api_as(gov.base.rita_researcher).post(f"/api/v1/access-request-items/{item.pk}/withdraw/")
    assert response.status_code == 409
    assert response.json()["detail"] == DRAFT_NOT_WITHDRAWN
    item.refresh_from_db()
    assert item.state == ItemState.DRAFT


def test_withdrawing_a_draft_request_is_refused_with_the_way_out(gov):
    access_request = draft_request(
        requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[gov.dataset]
    )
    response = api_as(gov.base.rita_researcher).post(f"/api/v1/access-requests/{access_request.pk}/withdraw/")
    assert response.status_code == 409
    assert response.json()["detail"] == DRAFT_NOT_WITHDRAWN
    assert api_as(gov.base.rita_researcher).delete(f"/api/v1/access-requests/{access_request.pk}/").status_code == 204
