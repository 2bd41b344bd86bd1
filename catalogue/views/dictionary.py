"""Uploading a dataset's data dictionary, with every row error shown inline (row, column, message)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from catalogue.forms import DictionaryUploadForm
from catalogue.importers.dictionary import COLUMNS, import_data_dictionary
from catalogue.importers.template import CONTENT_TYPES, dictionary_template
from catalogue.jobs import dictionary_import_runs_as_job, dictionary_import_start
from catalogue.views.curation import curated_dataset
from harmony.jobs.services import jobs_visible_to
from harmony.jobs.views import POLL_SECONDS


@login_required
def dataset_dictionary(request: HttpRequest, slug: str) -> HttpResponse:
    """Small files are imported in the request; large ones by a background job, whose progress the page
    then shows (``?job=<id>``, polled without reloading) until the report."""
    dataset = curated_dataset(request, slug)
    form = DictionaryUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload, strict = form.cleaned_data["file"], form.cleaned_data["strict"]
        if dictionary_import_runs_as_job(upload):
            job = dictionary_import_start(actor=request.user, dataset=dataset, upload=upload, strict=strict)
            return redirect(f"{reverse('dataset_dictionary', kwargs={'slug': dataset.slug})}?job={job.pk}")
        result = import_data_dictionary(
            actor=request.user, dataset=dataset, file=upload, filename=upload.name, strict=strict
        )
        if result.ok:
            messages.success(request, f"Data dictionary imported. {result.summary()}")
            for warning in result.warnings:
                messages.warning(request, f"Warning: {warning.message}")
            return redirect("dataset_manage", slug=dataset.slug)
    job = (
        jobs_visible_to(request.user).filter(pk=request.GET["job"]).first()
        if _is_uuid(request.GET.get("job"))
        else None
    )
    context = {
        "dataset": dataset,
        "form": form,
        "result": result,
        "columns": COLUMNS,
        "job": job,
        "poll_seconds": POLL_SECONDS,
    }
    return render(request, "catalogue/curation/dictionary.html", context)


def _is_uuid(value: str | None) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def dictionary_template_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The template (``csv`` or ``xlsx``): the documented columns and example rows."""
    response = HttpResponse(dictionary_template(fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="harmony-data-dictionary-template.{fmt}"'
    return response
