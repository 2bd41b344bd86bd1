"""Uploading a dataset's data dictionary, with every row error shown inline (row, column, message)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from catalogue.forms import DictionaryUploadForm
from catalogue.importers.dictionary import COLUMNS, import_data_dictionary
from catalogue.importers.template import CONTENT_TYPES, dictionary_template
from catalogue.views.curation import curated_dataset


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


def dictionary_template_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The template (``csv`` or ``xlsx``): the documented columns and example rows."""
    response = HttpResponse(dictionary_template(fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="harmony-data-dictionary-template.{fmt}"'
    return response
