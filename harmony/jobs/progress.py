"""Reporting a running job's progress so that its owner's page sees it while the job works.

The work itself usually runs in one transaction (an import is all-or-nothing), and rows written
inside it are invisible to other connections until it commits. So on PostgreSQL progress goes
through a second, autocommit connection of its own and is visible at once. SQLite allows one
writer at a time: there, updates made during a write transaction become visible when it ends
(validation runs outside it, so "rows validated" still moves).
"""

from __future__ import annotations

import time
from typing import Any

from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from harmony.jobs.models import Job

MIN_INTERVAL_SECONDS = 0.5  # at most two progress writes a second, however fast the rows go


class JobCancelled(Exception):
    """The owner asked to cancel; raised at a phase boundary, before anything is written."""


class JobFailed(Exception):
    """The job ends as failed, with ``report`` (e.g. the row errors of an invalid file)."""

    def __init__(self, message: str, report: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.report = report or {}


class JobProgress:
    """Handed to a job runner: ``phase(...)``, ``rows(...)`` and ``check_cancelled()``."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self._last_write = 0.0
        self._side: BaseDatabaseWrapper | None = None

    def phase(self, name: str, *, rows_total: int | None = None) -> None:
        """Enter phase ``name`` (written at once), after checking for cancellation."""
        self.check_cancelled()
        self.job.phase = name
        if rows_total is not None:
            self.job.rows_total = rows_total
        self._write(force=True)

    def rows(self, *, validated: int | None = None, written: int | None = None) -> None:
        """Update the counts; written at most every ``MIN_INTERVAL_SECONDS``."""
        if validated is not None:
            self.job.rows_validated = validated
        if written is not None:
            self.job.rows_written = written
        self._write()

    def check_cancelled(self) -> None:
        if Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists():
            raise JobCancelled("Cancelled at the owner's request.")

    def flush(self) -> None:
        self._write(force=True)

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None

    def _write(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_write < MIN_INTERVAL_SECONDS:
            return
        self._last_write = now
        values = [self.job.phase, self.job.rows_total, self.job.rows_validated, self.job.rows_written]
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            side = self._side_connection()
            with side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {Job._meta.db_table} SET phase = %s, rows_total = %s, rows_validated = %s, "
                    "rows_written = %s WHERE id = %s",
                    [*values, self.job.pk],
                )
        else:
            Job.objects.filter(pk=self.job.pk).update(
                phase=values[0], rows_total=values[1], rows_validated=values[2], rows_written=values[3]
            )

    def _side_connection(self) -> BaseDatabaseWrapper:
        if self._side is None:
            self._side = connections.create_connection(connection.alias)  # autocommit, outside the transaction
        return self._side
