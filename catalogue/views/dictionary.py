"""Uploading a dataset's data dictionary, with every row error shown inline (row, column, message)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from catalogue.forms import DictionaryUploadForm
from catalogue.importers.dictionary import COLUMN_NAMES, COLUMNS, import_data_dictionary
from catalogue.views.curation import curated_dataset

#: One illustrative row per value type, so the template shows the expected formats.
TEMPLATE_EXAMPLES = (
    {
        "name": "npm1_status",
        "label": "NPM1 mutation status",
        "description": "NPM1 exon 12 mutation at diagnosis",
        "value_type": "categorical",
        "categories": "0=wild type; 1=mutated",
        "completeness": "92",
        "concepts": "HGNC:NPM1",
    },
    {
        "name": "hb_diagnosis",
        "label": "Haemoglobin at diagnosis",
        "value_type": "decimal",
        "unit": "g/dL",
        "completeness": "98.5",
        "concepts": "LOINC:718-7=Hemoglobin [Mass/volume] in Blood",
    },
    {"name": "date_diagnosis", "label": "Date of diagnosis", "value_type": "date", "completeness": "100"},
)


@login_required
def dataset_dictionary(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = curated_dataset(request, slug)
    form = DictionaryUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = import_data_dictionary(actor=request.user, dataset=dataset, file=upload, filename=upload.name)
        if result.ok:
            messages.success(request, f"Data dictionary imported. {result.summary()}")
            return redirect("dataset_manage", slug=dataset.slug)
    context = {"dataset": dataset, "form": form, "result": result, "columns": COLUMNS}
    return render(request, "catalogue/curation/dictionary.html", context)


def dictionary_template(request: HttpRequest) -> HttpResponse:
    """The CSV template: the documented columns and example rows."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="harmony-data-dictionary-template.csv"'
    writer = csv.DictWriter(response, fieldnames=COLUMN_NAMES, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(TEMPLATE_EXAMPLES)
    return response
