"""Statistics of access requests that answer questions (administrators' statistics page).

Selectors only: how long each committee takes to decide, month by month (median and 90th
percentile), and how many items were submitted each month and where they stand now, optionally
restricted to datasets of one disease area (its subtypes included) held in one country. Each
figure is also a plain data table (:class:`ChartTable`) so the page can offer it as CSV.

Percentiles use the nearest-rank method (the smallest duration with at least 90 % of the
decisions at or below it), so a month with one decision reports that decision for both figures.
"""

from __future__ import annotations

import datetime
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from catalogue.models import DiseaseArea
from governance.models import AccessRequestItem, ItemState


@dataclass(frozen=True)
class StatisticsFilters:
    """``disease``: a disease area code (its subtypes count too); ``country``: the holder's ISO country code."""

    disease: str = ""
    country: str = ""


@dataclass
class ChartTable:
    """One chart's data: a title, column headings and rows (the first column labels the row)."""

    name: str
    title: str
    columns: list[str]
    rows: list[list[object]] = field(default_factory=list)


@dataclass(frozen=True)
class DecisionMonth:
    dac: str
    month: str  # "2026-03"
    decisions: int
    median_days: float
    p90_days: float


def nearest_rank(values: list[float], share: float) -> float:
    """The nearest-rank percentile of non-empty ``values`` (``share`` in (0, 1])."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _days(delta: datetime.timedelta) -> float:
    return delta.total_seconds() / 86400


def _month(moment: datetime.datetime) -> str:
    """The month in the site's time zone (a decision at 00:30 on 1 April in Berlin is April's)."""
    return timezone.localtime(moment).strftime("%Y-%m")


def submitted_items(filters: StatisticsFilters) -> QuerySet[AccessRequestItem]:
    """Items ever submitted (drafts are the requester's business), within ``filters``."""
    items = AccessRequestItem.objects.filter(submitted_at__isnull=False)
    if filters.disease:
        codes = disease_lineage_ids(filters.disease)
        items = items.filter(dataset__disease_areas__in=codes).distinct()
    if filters.country:
        items = items.filter(dataset__partner__country=filters.country)
    return items


def disease_lineage_ids(code: str) -> set[int]:
    """The disease area with ``code`` and all its subtypes (any depth); empty for an unknown code."""
    children: dict[int | None, list[int]] = defaultdict(list)
    root = None
    for pk, parent_id, area_code in DiseaseArea.objects.values_list("pk", "parent_id", "code"):
        children[parent_id].append(pk)
        if area_code == code:
            root = pk
    if root is None:
        return set()
    found, frontier = {root}, [root]
    while frontier:
        frontier = [child for pk in frontier for child in children.get(pk, [])]
        found.update(frontier)
    return found


def decision_times_by_month(filters: StatisticsFilters) -> list[DecisionMonth]:
    """Per committee and month of decision: decisions, median and 90th-percentile days from submission."""
    durations: dict[tuple[str, str], list[float]] = defaultdict(list)
    rows = (
        submitted_items(filters).filter(decided_at__isnull=False).values_list("dac__name", "submitted_at", "decided_at")
    )
    for dac, submitted_at, decided_at in rows:
        durations[(dac, _month(decided_at))].append(_days(decided_at - submitted_at))
    return [
        DecisionMonth(
            dac=dac,
            month=month,
            decisions=len(values),
            median_days=round(statistics.median(values), 1),
            p90_days=round(nearest_rank(values, 0.9), 1),
        )
        for (dac, month), values in sorted(durations.items())
    ]


def states_by_month(filters: StatisticsFilters) -> tuple[list[str], list[tuple[str, dict[str, int]]]]:
    """Items by month of (first) submission and the state they are in now: the states that occur (in the
    workflow's order) and, per month in order, the count per state."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for submitted_at, state in submitted_items(filters).values_list("submitted_at", "state"):
        counts[_month(submitted_at)][state] += 1
    present = {state for tally in counts.values() for state in tally}
    states = [state for state, _ in ItemState.choices if state in present]
    return states, [(month, dict(counts[month])) for month in sorted(counts)]


def request_charts(filters: StatisticsFilters) -> dict[str, ChartTable]:
    """The request figures of the statistics page as data tables, by chart name."""
    labels = dict(ItemState.choices)
    decisions = decision_times_by_month(filters)
    states, months = states_by_month(filters)
    decision_table = ChartTable(
        "decision-times",
        gettext("Time to decision per committee by month"),
        [
            gettext("Committee"),
            gettext("Month"),
            gettext("Decisions"),
            gettext("Median days"),
            gettext("90th percentile days"),
        ],
        [[d.dac, d.month, d.decisions, d.median_days, d.p90_days] for d in decisions],
    )
    state_table = ChartTable(
        "states-by-month",
        gettext("Requests by state over time (month of submission, state now)"),
        [gettext("Month"), *[str(labels[state]) for state in states], gettext("Total")],
        [[month, *[tally.get(state, 0) for state in states], sum(tally.values())] for month, tally in months],
    )
    return {table.name: table for table in (decision_table, state_table)}
