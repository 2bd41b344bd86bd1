"""The statistics page's request figures: time to decision per committee and month (median, 90th
percentile), requests by state over time, the disease and country filters, and each chart's CSV."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from governance.models import AccessRequestItem
from governance.statistics import nearest_rank
from tests.catalogue.factories import DatasetFactory
from tests.governance.factories import approved_item, submitted_item

URL = reverse("governance:statistics")


def client_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def at(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(day))


def timed(item: AccessRequestItem, *, submitted: str, decided: str | None = None) -> None:
    """Test setup: move an item's submission and decision to known dates (its state stays as the workflow left it)."""
    AccessRequestItem.objects.filter(pk=item.pk).update(
        submitted_at=at(submitted), decided_at=at(decided) if decided else None
    )


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.fixture
def decided(gov) -> None:
    """Three decisions in March 2026 (2, 4 and 10 days), one in April (7 days), one item still under review."""
    for submitted, decided_on in [
        ("2026-03-01", "2026-03-03"),
        ("2026-03-10", "2026-03-14"),
        ("2026-03-15", "2026-03-25"),
        ("2026-03-25", "2026-04-01"),
    ]:
        timed(approved_item(gov), submitted=submitted, decided=decided_on)
    timed(submitted_item(gov), submitted="2026-04-20")


def test_nearest_rank_percentile():
    assert nearest_rank([7.0], 0.9) == 7.0
    assert nearest_rank([2.0, 4.0, 10.0], 0.9) == 10.0
    assert nearest_rank([float(n) for n in range(1, 11)], 0.9) == 9.0


def test_time_to_decision_per_committee_by_month(gov, decided):
    rows = csv_rows(client_as(gov.base.ada_admin).get(URL, {"export": "decision-times"}))
    assert rows == [
        ["Committee", "Month", "Decisions", "Median days", "90th percentile days"],
        ["AHA Data Access Committee", "2026-03", "3", "4.0", "10.0"],
        ["AHA Data Access Committee", "2026-04", "1", "7.0", "7.0"],
    ]
    html = client_as(gov.base.ada_admin).get(URL).content.decode()
    assert "Time to decision per committee, by month of decision" in html
    assert "4 d (90th percentile 10.0 d, 3 decided)" in html


def test_requests_by_state_over_time(gov, decided):
    rows = csv_rows(client_as(gov.base.ada_admin).get(URL, {"export": "states-by-month"}))
    assert rows[0][0] == "Month" and rows[0][-1] == "Total"
    by_month = {row[0]: dict(zip(rows[0][1:], row[1:], strict=True)) for row in rows[1:]}
    assert by_month["2026-03"]["Approved"] == "4" and by_month["2026-03"]["Total"] == "4"
    assert by_month["2026-04"]["Under review"] == "1" and by_month["2026-04"]["Approved"] == "0"


def test_filters_by_disease_and_country(gov, decided):
    DatasetFactory(partner=gov.base.partner_b, diseases=["MM"])  # Spain and myeloma become choosable
    admin = client_as(gov.base.ada_admin)
    assert len(csv_rows(admin.get(URL, {"export": "decision-times", "disease": "AML", "country": "DE"}))) == 3
    assert csv_rows(admin.get(URL, {"export": "decision-times", "disease": "MM"})) == [
        ["Committee", "Month", "Decisions", "Median days", "90th percentile days"]
    ]
    assert len(csv_rows(admin.get(URL, {"export": "states-by-month", "country": "ES"}))) == 1
    html = admin.get(URL, {"country": "ES"}).content.decode()
    assert "No decisions within these filters yet." in html
    # The export links keep the filters.
    assert "?country=ES&amp;export=decision-times" in html


def test_unknown_filter_values_and_charts_are_refused(gov, decided):
    admin = client_as(gov.base.ada_admin)
    response = admin.get(URL, {"disease": "NOPE"})
    assert response.status_code == 400
    assert "Select a valid choice. NOPE is not one of the available choices." in response.content.decode()
    assert admin.get(URL, {"disease": "NOPE", "export": "decision-times"}).status_code == 400
    assert admin.get(URL, {"export": "no-such-chart"}).status_code == 400


def test_statistics_and_their_csv_are_for_administrators(gov, decided):
    for user in (gov.base.rita_researcher, gov.chair, gov.base.olga_owner_curator):
        assert client_as(user).get(URL, {"export": "decision-times"}).status_code == 403
    assert Client().get(URL, {"export": "decision-times"}).status_code == 302  # to the sign-in page


def test_every_chart_on_the_page_downloads_its_data(gov, decided):
    admin = client_as(gov.base.ada_admin)
    html = admin.get(URL).content.decode()
    exports = sorted(set(re.findall(r'href="\?(?:[^"]*&amp;)?export=([a-z-]+)"', html)))
    assert len(exports) == 10
    for name in exports:
        rows = csv_rows(admin.get(URL, {"export": name}))
        assert len(rows[0]) >= 2, name
