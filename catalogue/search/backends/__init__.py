"""Loading the configured search backend, the way Django loads cache backends.

``settings.SEARCH_BACKEND`` names one of :data:`BACKENDS` ("database" or "elasticsearch") or
gives a dotted path to a :class:`~catalogue.search.backends.base.SearchBackend` subclass.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from catalogue.search.backends.base import SearchBackend

BACKENDS = {
    "database": "catalogue.search.backends.database.DatabaseSearchBackend",
    "elasticsearch": "catalogue.search.backends.elasticsearch.ElasticsearchSearchBackend",
}

_cache: dict[str, SearchBackend] = {}


def get_search_backend(name: str | None = None, **options: Any) -> SearchBackend:
    """The backend ``name`` (default: ``settings.SEARCH_BACKEND``).

    Without ``options`` the instance is shared per process (an Elasticsearch client keeps a
    connection pool); with options a new instance is built (tests point one at a dead URL).
    """
    name = name or settings.SEARCH_BACKEND
    if not options and name in _cache:
        return _cache[name]
    path = BACKENDS.get(name, name)
    try:
        backend_class = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(
            f"SEARCH_BACKEND={name!r} is not a search backend: use one of {sorted(BACKENDS)} or a dotted path."
        ) from error
    backend = backend_class(**options)
    if not options:
        _cache[name] = backend
    return backend


def reset_search_backends() -> None:
    """Forget cached instances (after changing Elasticsearch settings in tests)."""
    _cache.clear()
