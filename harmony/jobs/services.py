"""Starting, running and cancelling jobs; who may see them."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from harmony.jobs.models import FINISHED, Job, JobStatus
from harmony.jobs.progress import JobCancelled, JobFailed, JobProgress
from harmony.jobs.registry import kind as job_kind

logger = logging.getLogger(__name__)


def jobs_visible_to(user: AbstractBaseUser) -> QuerySet[Job]:
    """A job is visible to its owner and to superusers (administrators), to nobody else."""
    if not user.is_authenticated:
        return Job.objects.none()
    if user.is_superuser:
        return Job.objects.all()
    return Job.objects.filter(Q(owner=user))


@transaction.atomic
def job_start(*, kind: str, title: str, owner: AbstractBaseUser, params: dict[str, Any] | None = None) -> Job:
    """Create the job row and enqueue its task in the same transaction (the database task backend),
    so a job is never queued without its row, nor a row left without its task."""
    from harmony.jobs.tasks import run_job  # the task module imports the tasks backend

    job_kind(kind)  # refuses an unregistered kind before anything is written
    job = Job.objects.create(kind=kind, title=title, owner=owner, params=params or {})
    result = run_job.enqueue(str(job.pk))
    job.task_id = str(result.id)
    job.save(update_fields=["task_id"])
    return job


@transaction.atomic
def job_cancel(*, job: Job, actor: AbstractBaseUser) -> Job:
    """Ask a queued or running job to stop. A queued job is cancelled at once; a running one stops at
    its next phase boundary, writing nothing. Only its owner or an administrator may cancel it."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if not (actor.is_superuser or job.owner_id == actor.pk):
        raise PermissionDenied("Only the job's owner or an administrator can cancel it.")
    if job.status in FINISHED:
        return job
    job.cancel_requested = True
    fields = ["cancel_requested"]
    if job.status == JobStatus.QUEUED:
        job.status, job.finished_at, job.error = JobStatus.CANCELLED, timezone.now(), "Cancelled before it started."
        fields += ["status", "finished_at", "error"]
    job.save(update_fields=fields)
    return job


def job_run(*, job_id: str) -> None:
    """Run the job ``job_id`` (the worker's task body): mark it running, call its kind's runner, record
    the outcome (succeeded with the report, failed with the error and report, or cancelled)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.status != JobStatus.QUEUED:  # cancelled while queued, or already run
            discard = job_kind(job.kind).discard
            if job.status == JobStatus.CANCELLED and job.started_at is None and discard is not None:
                discard(job)
            return
        job.status, job.started_at = JobStatus.RUNNING, timezone.now()
        job.save(update_fields=["status", "started_at"])
    progress = JobProgress(job)
    try:
        report = job_kind(job.kind).run(job, progress)
    except JobCancelled as cancelled:
        _finish(job, progress, JobStatus.CANCELLED, error=str(cancelled))
    except JobFailed as failed:
        _finish(job, progress, JobStatus.FAILED, error=str(failed), report=failed.report)
    except Exception as error:  # the job fails, the worker carries on with the next one
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, progress, JobStatus.FAILED, error=f"{type(error).__name__}: {error}")
    else:
        _finish(job, progress, JobStatus.SUCCEEDED, report=report)
    finally:
        progress.close()


def _finish(
    job: Job, progress: JobProgress, status: str, *, error: str = "", report: dict[str, Any] | None = None
) -> None:
    progress.flush()
    Job.objects.filter(pk=job.pk).update(
        status=status, error=error[:2000], report=report or {}, finished_at=timezone.now()
    )
