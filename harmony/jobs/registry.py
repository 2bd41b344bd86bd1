"""Which function runs which kind of job (filled by the apps at startup)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:  # imported from AppConfig.ready(), models may not be loaded yet
    from harmony.jobs.models import Job
    from harmony.jobs.progress import JobProgress

JobRunner = Callable[["Job", "JobProgress"], dict[str, Any]]
"""Does the work, reporting through the progress object; returns the report (JSON-serialisable).

Raise :class:`harmony.jobs.progress.JobFailed` with a message to fail with a report; raise anything
else and the job fails with the error's text. The runner must leave nothing written when it fails."""


@dataclass(frozen=True)
class JobKind:
    kind: str
    run: JobRunner
    admin_label: str = ""  # non-empty: administrators can start it (without parameters) from the admin
    discard: Callable[[Job], None] | None = None  # frees what a job that never ran holds (an uploaded file)


_kinds: dict[str, JobKind] = {}


def register(
    kind: str, run: JobRunner, *, admin_label: str = "", discard: Callable[[Job], None] | None = None
) -> JobKind:
    job_kind = JobKind(kind, run, admin_label, discard)
    existing = _kinds.get(kind)
    if existing is not None and existing.run is not run:
        raise ImproperlyConfigured(f"Job kind {kind!r} already has a runner ({existing.run!r}).")
    _kinds[kind] = job_kind
    return job_kind


def kind(name: str) -> JobKind:
    try:
        return _kinds[name]
    except KeyError:
        raise ImproperlyConfigured(f"No job runner is registered for {name!r}.") from None


def admin_startable() -> list[JobKind]:
    return sorted((k for k in _kinds.values() if k.admin_label), key=lambda k: k.kind)
