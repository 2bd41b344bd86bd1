"""A published dataset's consent is versioned: a change makes a new version and withdraws the old one, and
governance re-checks every decision on the dataset; the last active consent cannot be removed.
Everything through the API, as a curator would do it."""

from __future__ import annotations

import pytest

from catalogue.models import Consent
from governance.models import AccessGrant, ItemState
from tests.conftest import api_as
from tests.governance.factories import approved_item, released_item

pytestmark = pytest.mark.django_db

LAST_CONSENT = (
    "The last active consent of a published dataset cannot be removed: access requests are matched against it. "
    "Add the consent that replaces it first, or retire the dataset."
)


def consents_url(gov, consent=None) -> str:
    base = f"/api/v1/datasets/{gov.dataset.slug}/consents/"
    return f"{base}{consent.pk}/" if consent else base


def test_deleting_the_only_consent_of_a_published_dataset_is_refused_and_the_grant_stays(gov):
    item = released_item(gov)
    consent = gov.dataset.consents.get()
    response = api_as(gov.base.olga_owner_curator).delete(consents_url(gov, consent))
    assert response.status_code == 400
    assert response.json()["fields"]["consent"] == [LAST_CONSENT]
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    assert AccessGrant.objects.get(item=item).revoked_at is None


def test_narrowing_the_consent_makes_a_new_version_and_revokes_the_grant_it_no_longer_covers(gov):
    item = released_item(gov)
    old = gov.dataset.consents.get()
    response = api_as(gov.base.olga_owner_curator).patch(
        consents_url(gov, old), {"modifiers": [{"term": "GSO"}]}, format="json"
    )
    assert response.status_code == 200, response.json()
    new = Consent.objects.get(pk=response.json()["id"])
    old.refresh_from_db()
    assert new.pk != old.pk and new.supersedes == old and new.version == 2
    assert old.withdrawn_at is not None and new.withdrawn_at is None
    assert list(old.modifiers.values_list("term__short_code", flat=True)) == []  # history is unchanged
    grant = AccessGrant.objects.get(item=item)
    assert grant.revoked_at is not None
    assert grant.revoke_reason.startswith(
        "Consent form v1 was revised (version 2). The consent no longer covers the approved use:"
    )
    item.refresh_from_db()
    assert item.state == ItemState.REVOKED


def test_a_revocation_after_a_revision_is_worded_in_the_sites_language(gov, settings):
    """The reasons written into the record come out in the site's language, whatever the curator's language."""
    settings.LANGUAGE_CODE = "de"
    item = released_item(gov)
    old = gov.dataset.consents.get()
    api_as(gov.base.olga_owner_curator).patch(
        consents_url(gov, old), {"modifiers": [{"term": "GSO"}]}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    reason = AccessGrant.objects.get(item=item).revoke_reason
    assert reason.startswith(
        "Die Einwilligungserklärung v1 wurde überarbeitet (Version 2). "
        "Die Einwilligung deckt die genehmigte Nutzung nicht mehr ab: "
    ), reason
    assert "The consent" not in reason


def test_a_revision_that_still_covers_the_use_leaves_the_grant_alone(gov):
    item = released_item(gov)
    old = gov.dataset.consents.get()
    response = api_as(gov.base.olga_owner_curator).patch(
        consents_url(gov, old), {"participant_count": 120}, format="json"
    )
    assert response.status_code == 200
    assert AccessGrant.objects.get(item=item).revoked_at is None


def test_an_approved_item_the_new_version_no_longer_admits_is_reopened_for_changes(gov):
    item = approved_item(gov)
    old = gov.dataset.consents.get()
    api_as(gov.base.olga_owner_curator).patch(consents_url(gov, old), {"modifiers": [{"term": "GSO"}]}, format="json")
    item.refresh_from_db()
    assert item.state == ItemState.CHANGES_REQUESTED
    rita = api_as(gov.base.rita_researcher)
    assert rita.patch(f"/api/v1/access-requests/{item.request_id}/", {"genetic_studies": True}).status_code == 200
    assert rita.post(f"/api/v1/access-requests/{item.request_id}/resubmit/").status_code == 200
    item.refresh_from_db()
    assert item.state == ItemState.UNDER_REVIEW and item.review_round == 2
    assert [m["code"] for m in item.basis.consent_conditions[0]["modifiers"]] == ["GSO"]


def test_removing_one_of_two_consents_withdraws_it_and_keeps_it_as_history(gov):
    released_item(gov)
    second = api_as(gov.base.olga_owner_curator).post(
        consents_url(gov), {"form_version": "v2", "permission": "HMB"}, format="json"
    )
    assert second.status_code == 201
    first = gov.dataset.consents.get(form_version="v1")
    assert api_as(gov.base.olga_owner_curator).delete(consents_url(gov, first)).status_code == 204
    first.refresh_from_db()
    assert first.withdrawn_at is not None
    last = gov.dataset.consents.get(form_version="v2")
    assert api_as(gov.base.olga_owner_curator).delete(consents_url(gov, last)).status_code == 400


def test_a_withdrawn_consent_cannot_be_edited(gov):
    consent = gov.dataset.consents.get()
    api_as(gov.base.olga_owner_curator).post(f"{consents_url(gov, consent)}withdraw/")
    response = api_as(gov.base.olga_owner_curator).patch(
        consents_url(gov, consent), {"participant_count": 3}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"]["consent"] == ["A withdrawn consent cannot be changed; it is kept as history."]
