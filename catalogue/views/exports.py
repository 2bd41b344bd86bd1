"""Search results and feasibility answers as CSV files, for the researcher's own spreadsheet.

Each export takes the very parameters of its page (validated by the same serializers as the page and the API)
and asks the same selectors, so a file holds what the page shows — the user's visibility, the query, the
facets, the intended use — only not paged. Rows are streamed as the backend is read, ``EXPORT_CHUNK`` at a time.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from catalogue.search import selectors
from catalogue.search.api.serializers import (
    DatasetSearchParamsSerializer,
    FeasibilityParamsSerializer,
    VariableSearchParamsSerializer,
)
from catalogue.search.backends.base import Hit

#: The most rows one export holds (the first ones in the page's order); the backends page within 10,000.
EXPORT_MAX_ROWS = 5_000
EXPORT_CHUNK = 500
#: Feasibility answers list the largest datasets first; the export holds this many.
FEASIBILITY_EXPORT_MAX = 1_000

DATASET_COLUMNS = ["title", "partner", "status", "patients", "variables", "diseases", "url", "intended_use"]
VARIABLE_COLUMNS = ["name", "label", "value_type", "unit", "concepts", "dataset", "partner", "url", "intended_use"]


class _Line:
    """What ``csv.writer`` writes a row to: the row's text is handed straight back to the response."""

    def write(self, value: str) -> str:
        return value


def _csv_response(rows: Iterable[list[object]], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Line(), lineterminator="\r\n")
    response = StreamingHttpResponse((writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _errors_response(errors: dict[str, list[str]]) -> HttpResponse:
    lines = [f"{field}: {message}" for field, messages in errors.items() for message in messages]
    return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")


def _verdict(hit: Hit) -> str:
    return hit.use_verdict.label if hit.use_verdict is not None else ""


@require_GET
def search_export(request: HttpRequest) -> HttpResponse:
    """The search page's results (``/search/?…`` with the same parameters) as CSV: datasets, or variables with
    ``kind=variables``; the intended use's verdict per row when one is stated."""
    kind = "variables" if request.GET.get("kind") == "variables" else "datasets"
    serializer_class = VariableSearchParamsSerializer if kind == "variables" else DatasetSearchParamsSerializer
    query = request.GET.copy()
    query.pop("page", None)
    params = serializer_class(data=query)
    if not params.is_valid():
        return _errors_response(params.errors)
    data = params.validated_data
    search = selectors.search_variables if kind == "variables" else selectors.search_datasets
    arguments = {
        "user": request.user,
        "text": data["q"],
        "filters": params.filters(),
        "sort": data["sort"],
        "page_size": EXPORT_CHUNK,
        "include_retired": data["include_retired"],
        "language": data["lang"],
        "intended_use": params.intended_use(request.user),
        "use_verdicts": data.get("use_verdict", ()),
        "with_facets": False,
    }
    site = request.build_absolute_uri("/")[:-1]

    def hits() -> Iterator[Hit]:
        for page in range(1, EXPORT_MAX_ROWS // EXPORT_CHUNK + 1):
            results = search(page=page, **arguments)
            yield from results.hits
            if page * EXPORT_CHUNK >= results.total or not results.hits:
                return

    def rows() -> Iterator[list[object]]:
        if kind == "variables":
            yield VARIABLE_COLUMNS
            for hit in hits():
                doc = hit.document
                concepts = "; ".join(f"{c['vocabulary']}:{c['code']}" for c in doc.get("concepts", []))
                url = site + reverse("dataset_detail", args=[doc["dataset_slug"]])
                row = [doc["name"], doc["label"], doc["value_type"], doc["unit"], concepts, doc["dataset_title"]]
                yield [*row, doc["partner_name"], url, _verdict(hit)]
        else:
            yield DATASET_COLUMNS
            for hit in hits():
                doc = hit.document
                diseases = "; ".join(doc.get("facets", {}).get("disease", []))
                url = site + reverse("dataset_detail", args=[doc["slug"]])
                row = [doc["title"], doc["partner_name"], doc["status"], doc["patient_count"], doc["variable_count"]]
                yield [*row, diseases, url, _verdict(hit)]

    return _csv_response(rows(), f"harmony-search-{kind}.csv")


@require_GET
def feasibility_export(request: HttpRequest) -> HttpResponse:
    """The feasibility page's answer (``/search/feasibility/?…``) as CSV: one row per dataset holding every
    concept, with its patients and the variable that holds each concept."""
    data = request.GET.copy()
    lines = [line.strip() for line in data.get("concepts", "").splitlines() if line.strip()]
    if lines:
        data.setlist("concept", lines)
    params = FeasibilityParamsSerializer(data=data)
    if not params.is_valid():
        return _errors_response(params.errors)
    validated = params.validated_data
    result = selectors.feasibility(
        user=request.user,
        concepts=validated["concept"],
        min_patients=validated.get("min_patients"),
        disease=validated.get("disease"),
        include_retired=validated["include_retired"],
        limit=FEASIBILITY_EXPORT_MAX,
    )
    site = request.build_absolute_uri("/")[:-1]

    def rows() -> Iterator[list[object]]:
        yield ["dataset", "partner", "patients", "url", *validated["concept"]]
        for row in result.datasets:
            doc = row.dataset
            url = site + reverse("dataset_detail", args=[doc["slug"]])
            yield [
                doc["title"],
                doc["partner_name"],
                doc["patient_count"],
                url,
                *(m.variable["name"] for m in row.matches),
            ]

    return _csv_response(rows(), "harmony-feasibility.csv")
