"""Background jobs with progress (long work out of the request: large dictionary imports, reindexing).

Runs on django-tasks (the tasks API Django 6 adopts) with its database backend
(``django_tasks_db``; worker: ``manage.py db_worker``): no broker to operate, and the job is
enqueued in the same transaction as its :class:`~harmony.jobs.models.Job` row.
The :class:`Job` row is what users see: status, phase, rows validated and written, the final report.
Apps register a runner per job kind in ``AppConfig.ready()`` (:func:`register`).
"""

from harmony.jobs.registry import register

__all__ = ["register"]
