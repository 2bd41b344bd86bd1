"""The catalogue as DCAT-AP 3.0.1 with the HealthDCAT-AP extensions, built with rdflib.

Mapping (one dataset):

=========================================  ======================================================================
catalogue                                  DCAT-AP / HealthDCAT-AP
=========================================  ======================================================================
dataset page URL                           the ``dcat:Dataset`` IRI, ``dcat:landingPage``
title / description (+ translations)       ``dct:title`` / ``dct:description`` with language tags
persistent identifier (DOI …), slug        ``dct:identifier`` (slug), ``adms:identifier`` (persistent id)
partner                                    ``dct:publisher`` (``foaf:Agent``: name, homepage, country)
contact e-mail                             ``dcat:contactPoint`` (``vcard:Kind``, ``vcard:hasEmail``)
disease areas                              ``healthdcatap:healthCategory`` (ICD-10 codes) and ``dcat:keyword``
keywords, data types                       ``dcat:keyword``; ``dcat:theme`` is always the EU theme HEAL
collection period                          ``dct:temporal`` (``dct:PeriodOfTime``, ``dcat:startDate``/``endDate``)
patient countries                          ``dct:spatial`` (EU country authority)
patient / sample counts                    ``healthdcatap:numberOfUniqueIndividuals`` / ``numberOfRecords``
population coverage                        ``healthdcatap:populationCoverage`` (a sentence)
variables' concept vocabularies            ``healthdcatap:hasCodingSystem`` (the coding systems' IRIs)
consents (GA4GH DUO)                       ``dct:accessRights`` RESTRICTED, and one ``dct:rights``
                                           (``dct:RightsStatement``) per active consent: its words in
                                           ``rdfs:label``, its DUO terms as ``dct:relation``-free
                                           ``rdfs:seeAlso`` links to the DUO IRIs
distributions                              ``dcat:distribution`` (accessURL = access URL, or the landing page for a
                                           registry-held file, which only a grant holder can download)
the data access committee                  ``healthdcatap:hdab`` — added by governance through
                                           :func:`register_dataset_contributor` (catalogue never imports it)
version, published, updated                ``dcat:version``, ``dct:issued``, ``dct:modified``
=========================================  ======================================================================

Only published datasets are exported. Large catalogues are paged (``hydra:PartialCollectionView``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from catalogue.countries import COUNTRIES
from catalogue.dcat.vocab import (
    ACCESS_RIGHTS_RESTRICTED,
    ADMS,
    CODING_SYSTEMS,
    COUNTRY,
    COUNTRY_CODES,
    DCAT,
    DCTERMS,
    DUO,
    FILE_TYPE,
    FILE_TYPES,
    FOAF,
    FREQUENCY_IRREGULAR,
    HEALTHDCATAP,
    HYDRA,
    LANGUAGE,
    LANGUAGE_CODES,
    RDF,
    RDFS,
    SKOS,
    SPDX,
    THEME_HEALTH,
    VCARD,
    XSD,
)
from catalogue.models import Consent, Dataset, DatasetStatus, Distribution, DistributionKind, Partner

SERIALISATIONS = {
    "ttl": ("turtle", "text/turtle"),
    "jsonld": ("json-ld", "application/ld+json"),
    "rdf": ("xml", "application/rdf+xml"),
}
MEDIA_TYPES = {media_type: suffix for suffix, (_, media_type) in SERIALISATIONS.items()}
PAGE_SIZE = 100
DCAT_VERSION = URIRef(f"{DCAT}version")  # DCAT 3; rdflib's DCAT namespace predates it

DatasetContributor = Callable[[Graph, Sequence[Dataset], Callable[[Dataset], URIRef]], None]
_contributors: list[DatasetContributor] = []


def register_dataset_contributor(contributor: DatasetContributor) -> None:
    """Let an app above the catalogue add triples to exported datasets (governance adds the access body).
    ``contributor(graph, datasets, dataset_iri)`` is called once per exported page, for all its datasets."""
    if contributor not in _contributors:
        _contributors.append(contributor)


def site_url(path: str) -> URIRef:
    return URIRef(settings.SITE_URL.rstrip("/") + path)


def dataset_iri(dataset: Dataset) -> URIRef:
    return site_url(reverse("dataset_detail", args=[dataset.slug]))


def partner_iri(partner: Partner) -> URIRef:
    return site_url(reverse("partner_detail", args=[partner.slug]))


def catalog_iri() -> URIRef:
    return site_url(reverse("dcat-catalog", args=["ttl"]).rsplit(".", 1)[0])


def exported_datasets() -> QuerySet[Dataset]:
    """Published datasets, joined for the export (a fixed number of queries per page)."""
    return (
        Dataset.objects.filter(status=DatasetStatus.PUBLISHED)
        .select_related("partner")
        .prefetch_related(
            "disease_areas",
            "data_types",
            "distributions",
            Prefetch(
                "consents",
                queryset=Consent.objects.filter(withdrawn_at__isnull=True)
                .select_related("permission")
                .prefetch_related("modifiers__term", "diseases"),
                to_attr="active_consents",
            ),
        )
        .order_by("pk")
    )


def _coding_systems(datasets: Sequence[Dataset]) -> dict[int, list[str]]:
    from catalogue.models import Variable

    rows = (
        Variable.concepts.through.objects.filter(variable__dataset__in=[d.pk for d in datasets])
        .values_list("variable__dataset_id", "concept__vocabulary")
        .distinct()
    )
    systems: dict[int, set[str]] = {}
    for dataset_id, vocabulary in rows:
        systems.setdefault(dataset_id, set()).add(vocabulary)
    return {dataset_id: sorted(vocabularies) for dataset_id, vocabularies in systems.items()}


def _concept(graph: Graph, iri: str, label: str, *classes: URIRef) -> URIRef:
    """A vocabulary value: DCAT-AP's range shapes expect it typed ``skos:Concept`` (plus the property's range
    class, e.g. ``dct:Location``) with a ``skos:prefLabel``."""
    node = URIRef(iri)
    for rdf_class in (SKOS.Concept, *classes):
        graph.add((node, RDF.type, rdf_class))
    graph.add((node, SKOS.prefLabel, Literal(label, lang="en")))
    return node


def _country(graph: Graph, alpha2: str) -> URIRef:
    return _concept(graph, COUNTRY + COUNTRY_CODES[alpha2], COUNTRIES.get(alpha2, alpha2), DCTERMS.Location)


def _restricted(graph: Graph) -> URIRef:
    return _concept(graph, ACCESS_RIGHTS_RESTRICTED, "Restricted", DCTERMS.RightsStatement)


def _texts(graph: Graph, node: Node, predicate: URIRef, english: str, translations: dict[str, str]) -> None:
    if english:
        graph.add((node, predicate, Literal(english, lang="en")))
    for language, text in sorted((translations or {}).items()):
        if text and language != "en":
            graph.add((node, predicate, Literal(text, lang=language)))


def _publisher(graph: Graph, partner: Partner) -> URIRef:
    node = partner_iri(partner)
    graph.add((node, RDF.type, FOAF.Agent))
    graph.add((node, FOAF.name, Literal(partner.name)))
    if partner.website:
        graph.add((node, FOAF.homepage, URIRef(partner.website)))
    if partner.country in COUNTRY_CODES:
        graph.add((node, DCTERMS.spatial, _country(graph, partner.country)))
    return node


def _consent_words(consent: Consent) -> str:
    permission = consent.permission.short_code
    diseases = sorted(term.name for term in consent.diseases.all())
    if permission == "DS" and diseases:
        permission = f"DS ({', '.join(diseases)})"
    modifiers = [modifier.term.short_code for modifier in consent.modifiers.all()]
    words = f"Consent {consent.form_version}: {permission}"
    return words + (f" with {', '.join(modifiers)}" if modifiers else "")


def _duo_iri(term_id: str) -> URIRef:
    return DUO[term_id.replace(":", "_")]


def _distribution(graph: Graph, dataset: Dataset, landing: URIRef, distribution: Distribution) -> BNode:
    node = site_url(f"{reverse('dataset_detail', args=[dataset.slug])}#distribution-{distribution.pk}")
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, Literal(distribution.title, lang="en")))
    url = distribution.access_url if distribution.kind == DistributionKind.URL and distribution.access_url else ""
    graph.add((node, DCAT.accessURL, URIRef(url) if url else landing))
    graph.add((node, DCTERMS.accessRights, _restricted(graph)))
    if distribution.media_type:
        graph.add(
            (node, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{distribution.media_type}"))
        )
        graph.add(
            (
                URIRef(f"https://www.iana.org/assignments/media-types/{distribution.media_type}"),
                RDF.type,
                DCTERMS.MediaType,
            )
        )
        if distribution.media_type in FILE_TYPES:
            graph.add((node, DCTERMS["format"], _file_type(graph, FILE_TYPES[distribution.media_type])))
    if distribution.byte_size is not None:
        graph.add((node, DCAT.byteSize, Literal(distribution.byte_size, datatype=XSD.nonNegativeInteger)))
    if distribution.checksum_sha256:
        checksum = BNode()
        graph.add((node, SPDX.checksum, checksum))
        graph.add((checksum, RDF.type, SPDX.Checksum))
        graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        graph.add((checksum, SPDX.checksumValue, Literal(distribution.checksum_sha256, datatype=XSD.hexBinary)))
    return node


def _file_type(graph: Graph, code: str) -> URIRef:
    node = URIRef(FILE_TYPE + code)
    graph.add((node, RDF.type, DCTERMS.MediaTypeOrExtent))
    return node


def add_dataset(graph: Graph, dataset: Dataset, coding_systems: Iterable[str] = ()) -> URIRef:
    """Add ``dataset`` (joined as :func:`exported_datasets` joins it) to ``graph``; returns its IRI."""
    node = dataset_iri(dataset)
    graph.add((node, RDF.type, DCAT.Dataset))
    _texts(graph, node, DCTERMS.title, dataset.title, dataset.title_translations)
    _texts(graph, node, DCTERMS.description, dataset.description or dataset.title, dataset.description_translations)
    graph.add((node, DCTERMS.identifier, Literal(dataset.slug)))
    if dataset.persistent_identifier:
        identifier = BNode()
        graph.add((node, ADMS.identifier, identifier))
        graph.add((identifier, RDF.type, ADMS.Identifier))
        graph.add((identifier, SKOS.notation, Literal(dataset.persistent_identifier)))
    graph.add((node, DCAT.landingPage, _landing_page(graph, node)))
    graph.add((node, DCTERMS.publisher, _publisher(graph, dataset.partner)))
    graph.add((node, DCAT.theme, _concept(graph, THEME_HEALTH, "Health")))
    graph.add((node, DCTERMS.accrualPeriodicity, _concept(graph, FREQUENCY_IRREGULAR, "Irregular", DCTERMS.Frequency)))
    graph.add((node, DCTERMS.accessRights, _restricted(graph)))
    graph.add((node, DCAT_VERSION, Literal(dataset.version)))
    if dataset.published_at:
        graph.add((node, DCTERMS.issued, Literal(dataset.published_at.date(), datatype=XSD.date)))
    graph.add((node, DCTERMS.modified, Literal(dataset.updated_at.date(), datatype=XSD.date)))
    for language in ["en", *sorted(set(dataset.title_translations or {}) - {"en"})]:
        if language in LANGUAGE_CODES:
            graph.add((node, DCTERMS.language, _language(graph, language)))
    if dataset.contact_email:
        contact = BNode()
        graph.add((node, DCAT.contactPoint, contact))
        graph.add((contact, RDF.type, VCARD.Kind))
        graph.add((contact, VCARD.fn, Literal(dataset.partner.name)))
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{dataset.contact_email}")))
    for keyword in [*dataset.keywords, *(area.name for area in dataset.disease_areas.all())]:
        graph.add((node, DCAT.keyword, Literal(keyword, lang="en")))
    for data_type in dataset.data_types.all():
        graph.add((node, DCAT.keyword, Literal(data_type.name, lang="en")))
    for area in dataset.disease_areas.all():
        for code in filter(None, (code.strip() for code in area.icd10.split(","))):
            graph.add(
                (
                    node,
                    HEALTHDCATAP.healthCategory,
                    _concept(graph, f"http://id.who.int/icd/release/10/{code}", area.name),
                )
            )
    if dataset.collection_start or dataset.collection_end:
        period = BNode()
        graph.add((node, DCTERMS.temporal, period))
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if dataset.collection_start:
            graph.add((period, DCAT.startDate, Literal(dataset.collection_start, datatype=XSD.date)))
        if dataset.collection_end:
            graph.add((period, DCAT.endDate, Literal(dataset.collection_end, datatype=XSD.date)))
    countries = [code for code in dataset.patient_countries if code in COUNTRY_CODES]
    for code in countries:
        graph.add((node, DCTERMS.spatial, _country(graph, code)))
    if dataset.patient_count is not None:
        graph.add(
            (
                node,
                HEALTHDCATAP.numberOfUniqueIndividuals,
                Literal(dataset.patient_count, datatype=XSD.nonNegativeInteger),
            )
        )
        areas = ", ".join(area.name for area in dataset.disease_areas.all()) or "patients"
        where = f" in {', '.join(countries)}" if countries else ""
        graph.add(
            (
                node,
                HEALTHDCATAP.populationCoverage,
                Literal(f"{dataset.patient_count} patients with {areas}{where}", lang="en"),
            )
        )
    if dataset.sample_count is not None:
        graph.add((node, HEALTHDCATAP.numberOfRecords, Literal(dataset.sample_count, datatype=XSD.nonNegativeInteger)))
    for vocabulary in coding_systems:
        if vocabulary in CODING_SYSTEMS:
            graph.add((node, HEALTHDCATAP.hasCodingSystem, URIRef(CODING_SYSTEMS[vocabulary])))
    for consent in getattr(dataset, "active_consents", None) or dataset.consents.filter(withdrawn_at__isnull=True):
        rights = BNode()
        graph.add((node, DCTERMS.rights, rights))
        graph.add((rights, RDF.type, DCTERMS.RightsStatement))
        graph.add((rights, RDFS.label, Literal(_consent_words(consent), lang="en")))
        graph.add((rights, RDFS.seeAlso, _duo_iri(consent.permission_id)))
        for modifier in consent.modifiers.all():
            graph.add((rights, RDFS.seeAlso, _duo_iri(modifier.term_id)))
    for distribution in dataset.distributions.all():
        graph.add((node, DCAT.distribution, _distribution(graph, dataset, node, distribution)))
    return node


def _landing_page(graph: Graph, page: URIRef) -> URIRef:
    graph.add((page, RDF.type, FOAF.Document))
    return page


def _language(graph: Graph, code: str) -> URIRef:
    node = URIRef(LANGUAGE + LANGUAGE_CODES[code])
    graph.add((node, RDF.type, DCTERMS.LinguisticSystem))
    return node


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in [
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("adms", ADMS),
        ("skos", SKOS),
        ("spdx", SPDX),
        ("hydra", HYDRA),
        ("healthdcatap", HEALTHDCATAP),
        ("obo", DUO),
    ]:
        graph.bind(prefix, namespace)
    return graph


@dataclass(frozen=True)
class CatalogPage:
    graph: Graph
    page: int
    last_page: int


def _contribute(graph: Graph, datasets: Sequence[Dataset]) -> None:
    for contributor in _contributors:
        contributor(graph, datasets, dataset_iri)


def catalog_graph(
    *, page: int = 1, page_size: int = PAGE_SIZE, page_url: Callable[[int], str] | None = None
) -> CatalogPage:
    """The catalogue record with one page of published datasets (``page`` ≥ 1; an empty page past the end)."""
    graph = new_graph()
    catalog = catalog_iri()
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal(settings.DCAT_CATALOG_TITLE, lang="en")))
    graph.add((catalog, DCTERMS.description, Literal(settings.DCAT_CATALOG_DESCRIPTION, lang="en")))
    graph.add((catalog, FOAF.homepage, _landing_page(graph, site_url("/"))))
    graph.add((catalog, DCTERMS.language, _language(graph, "en")))
    themes = URIRef(THEME_HEALTH.rsplit("/", 1)[0])
    graph.add((themes, RDF.type, SKOS.ConceptScheme))
    graph.add((themes, DCTERMS.title, Literal("Data theme", lang="en")))
    graph.add((catalog, DCAT.themeTaxonomy, themes))
    publisher = site_url("/#alliance")
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(settings.DCAT_PUBLISHER_NAME)))
    graph.add((catalog, DCTERMS.publisher, publisher))

    datasets_qs = exported_datasets()
    total = datasets_qs.count()
    last_page = max(1, -(-total // page_size))
    datasets = list(datasets_qs[(page - 1) * page_size : page * page_size])
    systems = _coding_systems(datasets)
    for dataset in datasets:
        graph.add((catalog, DCAT.dataset, add_dataset(graph, dataset, systems.get(dataset.pk, []))))
    _contribute(graph, datasets)
    if page_url is not None and last_page > 1:
        view = URIRef(page_url(page))
        graph.add((view, RDF.type, HYDRA.PartialCollectionView))
        graph.add((catalog, HYDRA.view, view))
        graph.add((view, HYDRA.first, URIRef(page_url(1))))
        graph.add((view, HYDRA.last, URIRef(page_url(last_page))))
        graph.add((view, HYDRA.totalItems, Literal(total, datatype=XSD.nonNegativeInteger)))
        if page > 1:
            graph.add((view, HYDRA.previous, URIRef(page_url(page - 1))))
        if page < last_page:
            graph.add((view, HYDRA.next, URIRef(page_url(page + 1))))
    return CatalogPage(graph=graph, page=page, last_page=last_page)


def dataset_graph(dataset: Dataset) -> Graph:
    """One published dataset, with the catalogue record that lists it."""
    dataset = exported_datasets().get(pk=dataset.pk)
    graph = new_graph()
    node = add_dataset(graph, dataset, _coding_systems([dataset]).get(dataset.pk, []))
    _contribute(graph, [dataset])
    catalog = catalog_iri()
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCAT.dataset, node))
    return graph


def serialise(graph: Graph, suffix: str) -> tuple[bytes, str]:
    """``graph`` in the serialisation named by ``suffix`` (ttl, jsonld, rdf) and its media type."""
    rdflib_format, media_type = SERIALISATIONS[suffix]
    data = graph.serialize(format=rdflib_format, encoding="utf-8")
    return data, f"{media_type}; charset=utf-8"
