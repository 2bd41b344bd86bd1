"""Uploading a dataset's data dictionary: a preview of what the import would do (or every row error, inline),
then the import itself."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files import File
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from catalogue.dictionary_preview import preview_dictionary
from catalogue.forms import DictionaryUploadForm
from catalogue.importers.dictionary import COLUMNS, import_data_dictionary
from catalogue.importers.template import CONTENT_TYPES, dictionary_template
from catalogue.jobs import dictionary_import_runs_as_job, dictionary_import_start
from catalogue.models import Dataset
from catalogue.views.curation import curated_dataset
from harmony.jobs.services import jobs_visible_to
from harmony.jobs.views import POLL_SECONDS

PREVIEWS_SESSION_KEY = "dictionary_previews"


def _forget_preview(request: HttpRequest, dataset: Dataset) -> dict[str, object] | None:
    """Drop the dataset's pending preview from the session (and its stored file); returns what it was."""
    previews = request.session.get(PREVIEWS_SESSION_KEY, {})
    pending = previews.pop(str(dataset.pk), None)
    request.session[PREVIEWS_SESSION_KEY] = previews
    return pending


@login_required
def dataset_dictionary(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload a dictionary, see what importing it would do (first rows, columns, vocabularies, variables created,
    updated and removed; or its row errors), then apply it. The checked file waits in private storage (never
    served) under a token kept in the curator's session, so only they can apply exactly the file they previewed.
    Small files are imported in the request; large ones by a background job, whose progress the page then shows
    (``?job=<id>``, polled without reloading) until the report."""
    dataset = curated_dataset(request, slug)
    if request.method == "POST" and "apply" in request.POST:
        return _apply(request, dataset)
    form = DictionaryUploadForm(request.POST or None, request.FILES or None)
    result = preview = None
    token = ""
    if request.method == "POST" and form.is_valid():
        upload, strict = form.cleaned_data["file"], form.cleaned_data["strict"]
        preview = preview_dictionary(dataset, upload, filename=upload.name, strict=strict)
        result = preview.result
        pending = _forget_preview(request, dataset)
        if pending:
            default_storage.delete(str(pending["path"]))
        if preview.ok:
            token = uuid.uuid4().hex
            path = default_storage.save(f"jobs/dictionary-previews/{token}", upload)
            request.session[PREVIEWS_SESSION_KEY] = {
                **request.session.get(PREVIEWS_SESSION_KEY, {}),
                str(dataset.pk): {"token": token, "path": path, "filename": upload.name, "strict": strict},
            }
    job = (
        jobs_visible_to(request.user).filter(pk=request.GET["job"]).first()
        if _is_uuid(request.GET.get("job"))
        else None
    )
    context = {
        "dataset": dataset,
        "form": form,
        "result": result,
        "preview": preview if preview is not None and preview.ok else None,
        "token": token,
        "columns": COLUMNS,
        "job": job,
        "poll_seconds": POLL_SECONDS,
    }
    return render(request, "catalogue/curation/dictionary.html", context)


def _apply(request: HttpRequest, dataset: Dataset) -> HttpResponse:
    """Import the previewed file: only the one this session previewed for this dataset, once."""
    pending = request.session.get(PREVIEWS_SESSION_KEY, {}).get(str(dataset.pk))
    if not pending or pending["token"] != request.POST.get("apply"):
        messages.error(request, _("That preview is no longer pending: upload the file again."))
        return redirect("dataset_dictionary", slug=dataset.slug)
    _forget_preview(request, dataset)
    path, filename, strict = pending["path"], pending["filename"], pending["strict"]
    try:
        with default_storage.open(path, "rb") as stored:
            upload = File(stored, name=filename)
            if dictionary_import_runs_as_job(upload):
                job = dictionary_import_start(actor=request.user, dataset=dataset, upload=upload, strict=strict)
                return redirect(f"{reverse('dataset_dictionary', kwargs={'slug': dataset.slug})}?job={job.pk}")
            result = import_data_dictionary(
                actor=request.user, dataset=dataset, file=upload, filename=filename, strict=strict
            )
    finally:
        default_storage.delete(path)
    if not result.ok:  # the dictionary changed since the preview (another import): say so, as the import does
        for error in result.errors[:5]:
            messages.error(request, error.message)
        return redirect("dataset_dictionary", slug=dataset.slug)
    messages.success(request, _("Data dictionary imported. %(summary)s") % {"summary": result.summary()})
    for warning in result.warnings:
        messages.warning(request, f"Warning: {warning.message}")
    return redirect("dataset_manage", slug=dataset.slug)


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
