"""One transactional outbox for every side effect of a write (search sync, e-mail, notifications).

* **Write side** (:func:`harmony.outbox.services.enqueue`): a service adds :class:`OutboxMessage`
  rows in its own transaction, so the side effect happens if and only if the write commits.
* **Handlers** (:mod:`harmony.outbox.registry`): each app registers a handler per message kind in
  its ``AppConfig.ready()`` (``search.sync`` by catalogue, ``mail.send`` by governance), so this
  floor-0 package imports no app.
* **Worker** (:mod:`harmony.outbox.worker`, ``manage.py outbox_worker``): drains every kind; a
  failed batch is retried with exponential backoff up to its kind's ``max_attempts`` and then
  stays visible to administrators (Django admin, with a "retry" action).
"""

from harmony.outbox.registry import register

__all__ = ["register"]
