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
    urls = [urlsplit(host.strip()) for host in settings.ELASTICSEARCH_URL.split(",")]
    if not all(url.scheme in ("http", "https") and url.hostname for url in urls):
        errors.append(
            Error(
                f"ELASTICSEARCH_URL {settings.ELASTICSEARCH_URL!r} is not an http(s) URL (or a comma-separated list).",
                hint="Set ELASTICSEARCH_URL to the cluster address, e.g. https://search.example.org:9200, "
                "or to several node addresses separated by commas.",
                id="search.E001",
            )
        )
    if settings.ELASTICSEARCH_SHARDS < 1 or settings.ELASTICSEARCH_REPLICAS < 0:
        errors.append(
            Error(
                f"ELASTICSEARCH_SHARDS={settings.ELASTICSEARCH_SHARDS} / ELASTICSEARCH_REPLICAS="
                f"{settings.ELASTICSEARCH_REPLICAS} cannot configure an index.",
                hint="Use at least 1 shard and 0 or more replicas (at most the number of nodes minus one).",
                id="search.E004",
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
    if settings.ELASTICSEARCH_CA_CERTS and any(url.scheme != "https" for url in urls):
        errors.append(
            Error(
                "ELASTICSEARCH_CA_CERTS is set but ELASTICSEARCH_URL is not https.",
                hint="Use an https:// URL so the CA certificate is used, or unset ELASTICSEARCH_CA_CERTS.",
                id="search.E003",
            )
        )
    return errors
