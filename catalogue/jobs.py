"""Catalogue work that runs as background jobs (``harmony.jobs``): large dictionary imports, search reindex.

The calling layer only: the importer and the reindex are unchanged and still all-or-nothing; this
module stores the upload for the worker, reports the importer's progress on the job row, and turns
the result into the job's report. Registered in ``CatalogueConfig.ready()``.
"""

from __future__ import annotations

import uuid
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from catalogue.importers.dictionary import import_data_dictionary
from catalogue.models import Dataset
from catalogue.services.common import require_curator
from harmony.jobs.models import Job
from harmony.jobs.progress import JobFailed, JobProgress
from harmony.jobs.services import job_start

DICTIONARY_IMPORT = "dictionary.import"
SEARCH_REINDEX = "search.reindex"


def dictionary_import_runs_as_job(upload: IO[bytes]) -> bool:
    """Files above ``DICTIONARY_IMPORT_JOB_MIN_BYTES`` (about 2,000 rows) are imported in the background;
    one over the upload limit is not (the request refuses it at once, as it always did)."""
    size = getattr(upload, "size", 0)
    return settings.DICTIONARY_IMPORT_JOB_MIN_BYTES < size <= settings.HARMONY_MAX_UPLOAD_BYTES


def dictionary_import_start(*, actor: AbstractBaseUser, dataset: Dataset, upload: Any, strict: bool = False) -> Job:
    """Queue the import of ``upload`` into ``dataset`` for the worker; the caller's permission is checked now.

    The file is kept in private storage (never served) until the job has run; the report is written in the
    language active now (the curator's), which the worker does not otherwise know.
    """
    require_curator(actor=actor, partner=dataset.partner)
    path = default_storage.save(f"jobs/dictionaries/{uuid.uuid4().hex}", upload)
    return job_start(
        kind=DICTIONARY_IMPORT,
        title=gettext("Data dictionary import into “%(title)s”") % {"title": dataset.title},
        owner=actor,
        params={
            "dataset_id": dataset.pk,
            "path": path,
            "filename": upload.name,
            "strict": strict,
            "language": translation.get_language() or settings.LANGUAGE_CODE,
        },
    )


class _ImportProgress:
    """Adapts the importer's ``(phase, count)`` callback to the job's progress row."""

    def __init__(self, progress: JobProgress) -> None:
        self.progress = progress

    def __call__(self, phase: str, count: int) -> None:
        if phase != self.progress.job.phase:  # a phase boundary: the point where a cancel takes effect
            total = self.progress.job.rows_validated if phase == "writing" else None
            self.progress.phase(phase, rows_total=total)
        if phase == "validating":
            self.progress.rows(validated=count)
        else:
            self.progress.rows(written=count)


def run_dictionary_import(job: Job, progress: JobProgress) -> dict[str, Any]:
    with translation.override(job.params.get("language", settings.LANGUAGE_CODE)):
        return _dictionary_import_report(job, progress)


def _dictionary_import_report(job: Job, progress: JobProgress) -> dict[str, Any]:
    params = job.params
    try:
        dataset = Dataset.objects.select_related("partner").get(pk=params["dataset_id"])
        with default_storage.open(params["path"], "rb") as file:
            result = import_data_dictionary(
                actor=job.owner,
                dataset=dataset,
                file=file,
                filename=params["filename"],
                progress=_ImportProgress(progress),
                strict=params.get("strict", False),
            )
    finally:
        default_storage.delete(params["path"])
    report = {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "removed": result.removed,
        "error_count": result.error_count,
        "errors": [error.as_dict() for error in result.errors],
        "warnings": [warning.as_dict() for warning in result.warnings],
        "summary": result.summary(),
        "next_url": reverse("dataset_manage", kwargs={"slug": dataset.slug}),
        "next_label": gettext("Back to the dataset"),
    }
    if not result.ok:
        raise JobFailed(
            gettext("Nothing was imported: %(count)s error(s) in the file.") % {"count": result.error_count}, report
        )
    progress.rows(written=result.created + result.updated + result.unchanged)
    return report


def discard_dictionary_import(job: Job) -> None:
    """A dictionary import cancelled before it ran: delete its stored upload."""
    default_storage.delete(job.params["path"])


def run_search_reindex(job: Job, progress: JobProgress) -> dict[str, Any]:
    from catalogue.search.sync import rebuild_index  # the search package loads the backends

    progress.phase("indexing")
    rebuilt = rebuild_index()
    indexed = rebuilt.indexed
    return {
        **indexed,
        "summary": f"Indexed {indexed.get('datasets', 0)} datasets and {indexed.get('variables', 0)} variables; "
        f"applied {rebuilt.sync.applied_changes} changes made meanwhile.",
    }
