"""Harvest a partner's existing DCAT-AP catalogue (CKAN, Dataverse, a national catalogue …) into draft datasets.

What maps (the reverse of catalogue.dcat.export): title and description with their language tags (English, or
the first language, becomes the main text; the others become translations), keywords, ``dct:identifier`` /
``adms:identifier`` (a DOI, Handle or ARK becomes the persistent identifier), the collection period
(``dct:temporal``), countries (``dct:spatial`` as EU country authority IRIs), the HealthDCAT-AP counts
(``numberOfUniqueIndividuals`` → patients, ``numberOfRecords`` → samples), the contact e-mail, the version, and
distributions with an access or download URL. Everything else is reported per property, with how often it was
seen, so the curator knows what to add by hand. Disease areas, consents and data dictionaries are never
guessed: a harvested dataset is a draft that its curators complete before publishing.

A harvest is all-or-nothing: every dataset is created in one transaction through the catalogue's services (so
the curator check, validation, audit and search outbox apply), or none is.
"""

from __future__ import annotations

import datetime
import re
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from catalogue.dcat.export import DCAT_VERSION
from catalogue.dcat.vocab import (
    ADMS,
    COUNTRY,
    COUNTRY_CODES_BACK,
    DCAT,
    DCTERMS,
    HEALTHDCATAP,
    OWL,
    RDF,
    SKOS,
    VCARD,
)
from catalogue.models import Dataset, Partner
from catalogue.services.datasets import dataset_create
from catalogue.services.distributions import distribution_create
from harmony.errors import InvalidInput

MAX_HARVEST_BYTES = 20 * 1024 * 1024
FORMATS = {"ttl": "turtle", "turtle": "turtle", "jsonld": "json-ld", "json-ld": "json-ld", "rdf": "xml", "xml": "xml"}
PERSISTENT_IDENTIFIER = re.compile(
    r"^(https?://(dx\.)?doi\.org/|doi:|10\.\d{4,}/|hdl:|https?://hdl\.handle\.net/|ark:)"
)
MAPPED = {
    RDF.type,
    DCTERMS.title,
    DCTERMS.description,
    DCAT.keyword,
    DCTERMS.identifier,
    ADMS.identifier,
    DCTERMS.temporal,
    DCTERMS.spatial,
    HEALTHDCATAP.numberOfUniqueIndividuals,
    HEALTHDCATAP.numberOfRecords,
    DCAT.contactPoint,
    DCAT_VERSION,
    OWL.versionInfo,
    DCAT.distribution,
}


@dataclass
class HarvestReport:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unmapped: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "skipped": self.skipped,
            "unmapped": [{"property": name, "count": count} for name, count in sorted(self.unmapped.items())],
        }


def read_source(*, url: str = "", data: bytes | None = None) -> bytes:
    """The catalogue's bytes from an uploaded file or an http(s) URL (bounded in size and time)."""
    if data is not None:
        return data
    if not re.match(r"^https?://", url):
        raise InvalidInput(
            gettext("Invalid input."), fields={"url": [gettext("Give an http:// or https:// URL, or upload a file.")]}
        )
    request = urllib.request.Request(url, headers={"Accept": "text/turtle, application/ld+json, application/rdf+xml"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read(MAX_HARVEST_BYTES + 1)
    except OSError as error:
        raise InvalidInput(
            gettext("Invalid input."),
            fields={"url": [gettext("The catalogue could not be fetched: %(error)s.") % {"error": error}]},
        ) from error
    if len(body) > MAX_HARVEST_BYTES:
        raise InvalidInput(gettext("Invalid input."), fields={"url": [gettext("The catalogue is larger than 20 MB.")]})
    return body


def parse_catalogue(data: bytes, fmt: str = "") -> Graph:
    graph = Graph()
    candidates = [FORMATS[fmt]] if fmt in FORMATS else ["turtle", "json-ld", "xml"]
    errors = []
    for rdflib_format in candidates:
        try:
            return graph.parse(data=data, format=rdflib_format)
        except Exception as error:  # rdflib raises parser-specific exceptions
            errors.append(f"{rdflib_format}: {str(error).splitlines()[0][:200]}")
    raise InvalidInput(
        gettext("Invalid input."),
        fields={"file": [gettext("Not a DCAT-AP catalogue in Turtle, JSON-LD or RDF/XML."), *errors]},
    )


def _texts(graph: Graph, node: Node, predicate: URIRef) -> tuple[str, dict[str, str]]:
    by_language: dict[str, str] = {}
    for value in graph.objects(node, predicate):
        if isinstance(value, Literal):
            by_language.setdefault(value.language or "en", str(value).strip())
    if not by_language:
        return "", {}
    main_language = "en" if "en" in by_language else sorted(by_language)[0]
    main = by_language.pop(main_language)
    return main, by_language


def _date(value: Node | None) -> datetime.date | None:
    if value is None:
        return None
    python = value.toPython() if isinstance(value, Literal) else None
    if isinstance(python, datetime.datetime):
        return python.date()
    if isinstance(python, datetime.date):
        return python
    return None


def _int(value: Node | None) -> int | None:
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None


def _dataset_fields(graph: Graph, node: Node, report: HarvestReport) -> dict[str, Any]:
    title, title_translations = _texts(graph, node, DCTERMS.title)
    description, description_translations = _texts(graph, node, DCTERMS.description)
    fields: dict[str, Any] = {
        "title": title[:300],
        "description": description,
        "title_translations": title_translations,
        "description_translations": description_translations,
        "keywords": sorted({str(k) for k in graph.objects(node, DCAT.keyword)})[:50],
    }
    identifiers = [str(value) for value in graph.objects(node, DCTERMS.identifier)]
    identifiers += [str(graph.value(adms, SKOS.notation)) for adms in graph.objects(node, ADMS.identifier)]
    persistent = [value for value in identifiers if PERSISTENT_IDENTIFIER.match(value)]
    if persistent:
        fields["persistent_identifier"] = persistent[0][:200]
    for period in graph.objects(node, DCTERMS.temporal):
        fields["collection_start"] = _date(graph.value(period, DCAT.startDate))
        fields["collection_end"] = _date(graph.value(period, DCAT.endDate))
    countries = []
    for place in graph.objects(node, DCTERMS.spatial):
        alpha3 = str(place).removeprefix(COUNTRY)
        if str(place).startswith(COUNTRY) and alpha3 in COUNTRY_CODES_BACK:
            countries.append(COUNTRY_CODES_BACK[alpha3])
        else:
            report.unmapped[f"{DCTERMS.spatial} (not an EU country IRI)"] += 1
    fields["patient_countries"] = sorted(set(countries))
    fields["patient_count"] = _int(graph.value(node, HEALTHDCATAP.numberOfUniqueIndividuals))
    fields["sample_count"] = _int(graph.value(node, HEALTHDCATAP.numberOfRecords))
    for contact in graph.objects(node, DCAT.contactPoint):
        email = graph.value(contact, VCARD.hasEmail)
        if email is not None:
            fields["contact_email"] = str(email).removeprefix("mailto:")[:254]
    version = graph.value(node, DCAT_VERSION) or graph.value(node, OWL.versionInfo)
    if version is not None:
        fields["version"] = str(version)[:30]
    for predicate in set(graph.predicates(node, None)) - MAPPED:
        report.unmapped[str(predicate)] += 1
    return {name: value for name, value in fields.items() if value not in (None, "")}


@transaction.atomic
def harvest_catalogue(*, actor: AbstractBaseUser, partner: Partner, data: bytes, fmt: str = "") -> HarvestReport:
    """Create one draft dataset of ``partner`` per ``dcat:Dataset`` in the catalogue ``data``; a dataset whose
    persistent identifier or title the partner already has is skipped (reported). All or nothing."""
    graph = parse_catalogue(data, fmt)
    report = HarvestReport()
    nodes = sorted(set(graph.subjects(RDF.type, DCAT.Dataset)), key=str)
    if not nodes:
        refusal = gettext("The catalogue lists no dcat:Dataset.")
        raise InvalidInput(gettext("Invalid input."), fields={"file": [refusal]})
    existing = Dataset.objects.filter(partner=partner)
    known_titles = set(existing.values_list("title", flat=True))
    known_identifiers = set(existing.exclude(persistent_identifier="").values_list("persistent_identifier", flat=True))
    for node in nodes:
        fields = _dataset_fields(graph, node, report)
        title = fields.pop("title", "")
        if not title:
            report.skipped.append(f"{node}: it has no dct:title.")
            continue
        if title in known_titles or fields.get("persistent_identifier") in known_identifiers:
            report.skipped.append(f"{node}: {partner.name} already has “{title}”.")
            continue
        dataset = dataset_create(actor=actor, partner=partner, title=title, **fields)
        known_titles.add(title)
        for distribution in graph.objects(node, DCAT.distribution):
            url = graph.value(distribution, DCAT.downloadURL) or graph.value(distribution, DCAT.accessURL)
            if url is None or not str(url).startswith(("http://", "https://")):
                report.unmapped[f"{DCAT.distribution} (no http access URL)"] += 1
                continue
            name, _ = _texts(graph, distribution, DCTERMS.title)
            distribution_create(
                actor=actor,
                dataset=dataset,
                title=(name or "Access")[:200],
                access_url=str(url),
                byte_size=_int(graph.value(distribution, DCAT.byteSize)),
            )
        report.created.append(dataset.slug)
    return report
