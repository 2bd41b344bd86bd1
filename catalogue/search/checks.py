"""System checks for the search configuration (``manage.py check``)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

_INDEX_PREFIX = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


@register(Tags.compatibility)
def check_search_settings(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors: list[Error] = []
    if settings.SEARCH_BACKEND != "elasticsearch":
        return errors
    url = urlsplit(settings.ELASTICSEARCH_URL)
    if url.scheme not in ("http", "https") or not url.hostname:
        errors.append(
            Error(
                f"ELASTICSEARCH_URL {settings.ELASTICSEARCH_URL!r} is not an http(s) URL.",
                hint="Set ELASTICSEARCH_URL to the cluster address, e.g. https://search.example.org:9200.",
                id="search.E001",
            )
        )
    if not _INDEX_PREFIX.match(settings.ELASTICSEARCH_INDEX_PREFIX):
        errors.append(
            Error(
                f"ELASTICSEARCH_INDEX_PREFIX {settings.ELASTICSEARCH_INDEX_PREFIX!r} cannot start an index name.",
                hint="Use lower-case letters, digits, '_', '.' or '-', starting with a letter or digit.",
                id="search.E002",
            )
        )
    if settings.ELASTICSEARCH_CA_CERTS and url.scheme != "https":
        errors.append(
            Error(
                "ELASTICSEARCH_CA_CERTS is set but ELASTICSEARCH_URL is not https.",
                hint="Use an https:// URL so the CA certificate is used, or unset ELASTICSEARCH_CA_CERTS.",
                id="search.E003",
            )
        )
    return errors
