"""The one django-tasks task: run a job row. The database backend's worker (``manage.py db_worker``) runs it."""

from __future__ import annotations

from django_tasks import task

from harmony.jobs.services import job_run


@task()
def run_job(job_id: str) -> None:
    job_run(job_id=job_id)
