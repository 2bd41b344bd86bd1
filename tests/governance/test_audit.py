"""Governance writes into the audit trail: every step of the path, and refused downloads without flooding it.

The chain itself (keys, anchors, tampering, roles) is tested in tests/audit/.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile

from audit.chain import GENESIS_HASH
from audit.models import AuditEvent, ThrottledEventWindow
from audit.services import verify_trail
from catalogue.models import Distribution, DistributionKind
from tests.conftest import api_as
from tests.governance.factories import released_item

pytestmark = pytest.mark.django_db


def test_every_step_of_the_path_is_audited_in_one_chain(gov):
    item = released_item(gov)
    actions = list(AuditEvent.objects.filter(access_request_id=item.request_id).values_list("action", flat=True))
    assert actions == [
        "request.create",
        "item.submit",
        "item.start_review",
        "vote.cast",
        "vote.cast",
        "item.approve",
        "letter.issue",
        "agreement.create",
        "agreement.sign",
        "agreement.sign",
        "item.sign_agreement",
        "item.release",
    ]
    first = AuditEvent.objects.order_by("id").first()
    assert first.prev_hash == GENESIS_HASH
    assert verify_trail() is None
    permission_changes = AuditEvent.objects.filter(action="dac.member_set").count()
    assert permission_changes == 4  # the cast's DAC members: every permission change is audited


@pytest.fixture
def distribution(gov, settings, tmp_path) -> Distribution:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return Distribution.objects.create(
        dataset=gov.dataset, title="Extract", kind=DistributionKind.FILE, file=ContentFile(b"a\n1\n", name="x.csv")
    )


def test_repeated_refused_downloads_write_one_event_per_hour_and_count_the_rest(gov, distribution):
    rita = gov.base.rita_researcher
    for _ in range(5):
        assert api_as(rita).get(f"/api/v1/downloads/{distribution.pk}/").status_code == 403
    refusals = AuditEvent.objects.filter(action="download.refused")
    assert [event.after for event in refusals] == [
        {"reason": "You have no access grant for this dataset.", "suppressed": 0}
    ]

    # An hour later the next refusal is written, carrying the count of the four that were only counted.
    ThrottledEventWindow.objects.update(window_started_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    assert api_as(rita).get(f"/api/v1/downloads/{distribution.pk}/").status_code == 403
    assert [event.after["suppressed"] for event in refusals.order_by("id")] == [0, 4]
    assert verify_trail() is None


def test_refusals_are_counted_per_user(gov, distribution):
    for user in (gov.base.rita_researcher, gov.base.carl_other_curator, gov.base.rita_researcher):
        api_as(user).get(f"/api/v1/downloads/{distribution.pk}/")
    assert sorted(AuditEvent.objects.filter(action="download.refused").values_list("actor_username", flat=True)) == [
        "carl",
        "rita",
    ]
