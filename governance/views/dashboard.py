"""The governance dashboard (requests by state, median days to decision and release per DAC) and the
administrators' statistics pages with charts (drawn server-side by catalogue/templatetags/charts.py)."""

from __future__ import annotations

import csv
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.countries import COUNTRIES
from catalogue.models import DiseaseArea, ValueType
from catalogue.selectors import catalogue_statistics
from governance import selectors
from governance.models import ItemState
from governance.statistics import ChartTable, StatisticsFilters, request_charts

STATE_LABELS = dict(ItemState.choices) | {"closed": gettext_lazy("Closed")}


def _state_rows(by_state: dict[str, int]) -> list[tuple[str, int, str]]:
    return [(STATE_LABELS.get(state, state), count, state) for state, count in by_state.items()]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    stats = selectors.dashboard_stats(request.user)
    context = {
        "by_state": [(label, count) for label, count, _state in _state_rows(stats["requests_by_state"])],
        "per_dac": [row for row in stats["per_dac"] if row["items_submitted"]],
        "idle_dacs": [row["dac"] for row in stats["per_dac"] if not row["items_submitted"]],
        "decision_rows": [
            (row["dac"], row["median_days_to_decision"])
            for row in stats["per_dac"]
            if row["median_days_to_decision"] is not None
        ],
    }
    return render(request, "governance/dashboard.html", context)


class StatisticsFilterForm(forms.Form):
    """The statistics page's filters: a top-level disease area and the country of a partner holding published
    datasets (both optional)."""

    disease = forms.ChoiceField(label=gettext_lazy("Disease"), required=False)
    country = forms.ChoiceField(label=gettext_lazy("Country of the holder"), required=False)

    def __init__(self, *args: Any, held_countries: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roots = DiseaseArea.objects.filter(parent__isnull=True).order_by("name").values_list("code", "name")
        self.fields["disease"].choices = [("", _("All diseases")), *roots]
        countries = sorted(((code, COUNTRIES.get(code, code)) for code in held_countries), key=lambda c: c[1])
        self.fields["country"].choices = [("", _("All countries")), *countries]

    def filters(self) -> StatisticsFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return StatisticsFilters(disease=data.get("disease", ""), country=data.get("country", ""))


def _pairs_table(name: str, title: str, label: str, value: str, rows: list[tuple[str, float | int]]) -> ChartTable:
    return ChartTable(name, title, [label, value], [[row_label, row_value] for row_label, row_value in rows])


def _csv_response(table: ChartTable) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="harmony-{table.name}.csv"'
    writer = csv.writer(response)
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return response


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    """Alliance-wide figures for administrators: what is held (published datasets only) and how access flows.

    The request figures can be narrowed to a disease area and a holder's country; every chart's data table
    downloads as CSV (``?export=<chart name>``, with the same filters). Unknown filter values answer 400.
    """
    if not request.user.is_superuser:
        raise PermissionDenied(_("The statistics pages are for alliance administrators."))
    catalogue = catalogue_statistics()
    form = StatisticsFilterForm(request.GET or None, held_countries=[row.country for row in catalogue.by_country])
    filters = form.filters()
    value_types = dict(ValueType.choices)
    governance = selectors.dashboard_stats(request.user)
    diseases = [row for row in catalogue.by_disease if row.datasets]
    countries = [(COUNTRIES.get(row.country, row.country), row) for row in catalogue.by_country]
    charts = {
        "datasets_by_disease": [(row.name, row.datasets) for row in diseases],
        "patients_by_disease": sorted(((row.name, row.patients) for row in diseases), key=lambda r: -r[1]),
        "datasets_by_country": sorted(((name, row.datasets) for name, row in countries), key=lambda r: -r[1]),
        "patients_by_country": [(name, row.patients) for name, row in countries],
        "variables_by_type": [(value_types.get(code, code), count) for code, count in catalogue.variables_by_type],
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
    tables = {
        "datasets-by-disease": _pairs_table(
            "datasets-by-disease", _("Datasets by disease"), _("Disease"), _("Datasets"), charts["datasets_by_disease"]
        ),
        "patients-by-disease": _pairs_table(
            "patients-by-disease", _("Patients by disease"), _("Disease"), _("Patients"), charts["patients_by_disease"]
        ),
        "datasets-by-country": _pairs_table(
            "datasets-by-country", _("Datasets by country"), _("Country"), _("Datasets"), charts["datasets_by_country"]
        ),
        "patients-by-country": _pairs_table(
            "patients-by-country", _("Patients by country"), _("Country"), _("Patients"), charts["patients_by_country"]
        ),
        "variables-by-type": _pairs_table(
            "variables-by-type", _("Variables by data type"), _("Type"), _("Variables"), charts["variables_by_type"]
        ),
        "requests-by-state": _pairs_table(
            "requests-by-state", _("Requests by state"), _("State"), _("Requests"), charts["requests_by_state"]
        ),
        "decision-days": _pairs_table(
            "decision-days",
            _("Median days to decision per committee"),
            _("Committee"),
            _("Days"),
            charts["decision_days"],
        ),
        "release-days": _pairs_table(
            "release-days", _("Median days to release per committee"), _("Committee"), _("Days"), charts["release_days"]
        ),
        **request_charts(filters),
    }
    invalid = form.is_bound and not form.is_valid()
    export = request.GET.get("export")
    if export and not invalid:
        if export not in tables:
            return HttpResponse(_("There is no chart of that name."), status=400, content_type="text/plain")
        return _csv_response(tables[export])
    decisions = tables["decision-times"].rows
    per_committee: dict[str, list[tuple[str, float, str]]] = {}
    for dac, month, count, median, p90 in decisions:
        per_committee.setdefault(str(dac), []).append(
            (
                str(month),
                float(median),
                _("90th percentile %(days)s d, %(count)s decided") % {"days": p90, "count": count},
            )
        )
    context = {
        **charts,
        "catalogue": catalogue,
        "form": form,
        "filter_query": urlencode({k: v for k, v in (("disease", filters.disease), ("country", filters.country)) if v}),
        "decisions_per_committee": [
            (committee, f"chart-decisions-{index}", rows)
            for index, (committee, rows) in enumerate(sorted(per_committee.items()), start=1)
        ],
        "states_table": tables["states-by-month"],
        "submitted_by_month": [(row[0], row[-1]) for row in tables["states-by-month"].rows],
    }
    return render(request, "governance/statistics.html", context, status=400 if invalid else 200)
