"""schema.org ``Dataset`` JSON-LD for the dataset page, so that general dataset search engines index it
(Google Dataset Search reads https://schema.org/Dataset; the properties below are the ones it documents)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.urls import reverse

from catalogue.models import Dataset

# The characters that could end a <script> element or open a comment, escaped as JSON allows.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def dataset_json_ld(dataset: Dataset) -> dict[str, Any]:
    url = settings.SITE_URL.rstrip("/") + reverse("dataset_detail", args=[dataset.slug])
    document: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": url,
        "url": url,
        "name": dataset.title,
        "description": dataset.description or dataset.title,
        "identifier": [dataset.persistent_identifier or dataset.slug],
        "version": dataset.version,
        "keywords": [*dataset.keywords, *(area.name for area in dataset.disease_areas.all())],
        "isAccessibleForFree": False,
        "conditionsOfAccess": "Access is decided by the holder's data access committee under the dataset's "
        "consents (GA4GH Data Use Ontology).",
        "creator": {"@type": "Organization", "name": dataset.partner.name, "url": dataset.partner.website or None},
        "publisher": {"@type": "Organization", "name": dataset.partner.name},
        "includedInDataCatalog": {"@type": "DataCatalog", "name": settings.DCAT_CATALOG_TITLE},
    }
    if dataset.collection_start or dataset.collection_end:
        start = dataset.collection_start.isoformat() if dataset.collection_start else ".."
        end = dataset.collection_end.isoformat() if dataset.collection_end else ".."
        document["temporalCoverage"] = f"{start}/{end}"
    if dataset.patient_countries:
        document["spatialCoverage"] = [{"@type": "Place", "name": code} for code in dataset.patient_countries]
    if dataset.contact_email:
        document["creator"]["contactPoint"] = {"@type": "ContactPoint", "email": dataset.contact_email}
    if dataset.updated_at:
        document["dateModified"] = dataset.updated_at.date().isoformat()
    if dataset.published_at:
        document["datePublished"] = dataset.published_at.date().isoformat()
    if not dataset.partner.website:
        del document["creator"]["url"]
    return document


def dataset_json_ld_script(dataset: Dataset) -> str:
    """The JSON-LD text, safe inside ``<script type="application/ld+json">``."""
    return json.dumps(dataset_json_ld(dataset), ensure_ascii=False).translate(_SCRIPT_ESCAPES)
