"""The governance dashboard (requests by state, median days to decision and release per DAC) and the
administrators' statistics pages with charts (drawn server-side by catalogue/templatetags/charts.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from catalogue.countries import COUNTRIES
from catalogue.models import Dataset, DatasetStatus, ValueType, Variable
from catalogue.selectors import catalogue_statistics
from governance import selectors
from governance.models import ItemState

STATE_LABELS = dict(ItemState.choices) | {"closed": "Closed"}


def _state_rows(by_state: dict[str, int]) -> list[tuple[str, int, str]]:
    return [(STATE_LABELS.get(state, state), count, state) for state, count in by_state.items()]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    stats = selectors.dashboard_stats(request.user)
    context = {
        "by_state": _state_rows(stats["requests_by_state"]),
        "per_dac": [row for row in stats["per_dac"] if row["items_submitted"]],
        "idle_dacs": [row["dac"] for row in stats["per_dac"] if not row["items_submitted"]],
        "decision_rows": [
            (row["dac"], row["median_days_to_decision"])
            for row in stats["per_dac"]
            if row["median_days_to_decision"] is not None
        ],
    }
    return render(request, "governance/dashboard.html", context)


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    """Alliance-wide figures for administrators: what is held (published datasets only) and how access flows."""
    if not request.user.is_superuser:
        raise PermissionDenied("The statistics pages are for alliance administrators.")
    catalogue = catalogue_statistics()
    published = Dataset.objects.filter(status=DatasetStatus.PUBLISHED)
    by_country = (
        published.values("partner__country")
        .annotate(datasets=Count("pk"), patients=Coalesce(Sum("patient_count"), 0))
        .order_by("-patients")
    )
    value_types = dict(ValueType.choices)
    by_type = (
        Variable.objects.filter(dataset__status=DatasetStatus.PUBLISHED)
        .values("value_type")
        .annotate(count=Count("pk"))
        .order_by("-count")
    )
    governance = selectors.dashboard_stats(request.user)
    diseases = [row for row in catalogue.by_disease if row.datasets]
    countries = [(COUNTRIES.get(row["partner__country"], row["partner__country"]), row) for row in by_country]
    context = {
        "catalogue": catalogue,
        "datasets_by_disease": [(row.name, row.datasets) for row in diseases],
        "patients_by_disease": sorted(((row.name, row.patients) for row in diseases), key=lambda r: -r[1]),
        "datasets_by_country": sorted(((name, row["datasets"]) for name, row in countries), key=lambda r: -r[1]),
        "patients_by_country": [(name, row["patients"]) for name, row in countries],
        "variables_by_type": [(value_types.get(row["value_type"], row["value_type"]), row["count"]) for row in by_type],
        "requests_by_state": [(label, count) for label, count, _ in _state_rows(governance["requests_by_state"])],
        "decision_days": [
            (row["dac"], row["median_days_to_decision"])
            for row in governance["per_dac"]
            if row["median_days_to_decision"] is not None
        ],
        "release_days": [
            (row["dac"], row["median_days_to_release"])
            for row in governance["per_dac"]
            if row["median_days_to_release"] is not None
        ],
    }
    return render(request, "governance/statistics.html", context)
