"""Editing a draft request in the web form keeps what the form does not show (the per-dataset variable
selection) and refuses what the API refuses (a change of the requesting partner), with the same message."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalogue.models import MembershipRole
from catalogue.services.memberships import membership_grant
from governance import services
from tests.catalogue.factories import VariableFactory
from tests.conftest import api_as
from tests.governance.factories import draft_request
from tests.governance.test_pages import client_as, page, request_form_data

pytestmark = pytest.mark.django_db

PARTNER_FIXED = "The requesting partner cannot be changed."


def test_editing_a_draft_keeps_the_variable_selection(gov):
    chosen = VariableFactory(dataset=gov.dataset, name="flt3_itd")
    VariableFactory(dataset=gov.dataset, name="npm1")
    access_request = draft_request(
        requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[gov.dataset]
    )
    services.request_update(
        access_request=access_request,
        actor=gov.base.rita_researcher,
        items=[services.ItemSpec(dataset=gov.dataset, variables=[chosen])],
    )
    url = reverse("governance:request_edit", args=[access_request.pk])
    response = client_as(gov.base.rita_researcher).post(url, request_form_data(gov, title="Renamed project"))
    assert response.status_code == 302
    item = access_request.items.get()
    assert list(item.variables.values_list("name", flat=True)) == ["flt3_itd"]


def test_changing_the_partner_in_the_form_is_refused_like_in_the_api(gov):
    membership_grant(user=gov.base.rita_researcher, partner=gov.base.partner_a, role=MembershipRole.RESEARCHER)
    access_request = draft_request(
        requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[gov.dataset]
    )
    url = reverse("governance:request_edit", args=[access_request.pk])
    response = client_as(gov.base.rita_researcher).post(url, request_form_data(gov, partner=gov.base.partner_a.pk))
    assert response.status_code == 200
    assert PARTNER_FIXED in page(response)
    access_request.refresh_from_db()
    assert access_request.partner == gov.base.partner_b
    api = api_as(gov.base.rita_researcher).patch(
        f"/api/v1/access-requests/{access_request.pk}/", {"partner": gov.base.partner_a.pk}
    )
    assert api.status_code == 400 and PARTNER_FIXED in str(api.json())
