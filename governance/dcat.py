"""Governance's part of the DCAT-AP export: each dataset's data access committee as its HealthDCAT-AP
health data access body (``healthdcatap:hdab``). Registered with catalogue.dcat.export at start-up, so the
catalogue never imports governance."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rdflib import Graph, Literal, URIRef

from catalogue.dcat.vocab import FOAF, HEALTHDCATAP, RDF
from catalogue.models import Dataset
from governance.models import DataAccessCommittee, DatasetGovernance


def add_access_bodies(graph: Graph, datasets: Sequence[Dataset], dataset_iri: Callable[[Dataset], URIRef]) -> None:
    """Two queries whatever the number of datasets: explicit assignments, then the partners' committees."""
    explicit = {
        row.dataset_id: row.dac for row in DatasetGovernance.objects.filter(dataset__in=datasets).select_related("dac")
    }
    by_partner: dict[int, DataAccessCommittee] = {}
    for dac in DataAccessCommittee.objects.filter(partner_id__in={d.partner_id for d in datasets}).order_by("pk"):
        by_partner.setdefault(dac.partner_id, dac)
    for dataset in datasets:
        dac = explicit.get(dataset.pk) or by_partner.get(dataset.partner_id)
        if dac is None:
            continue
        node = URIRef(f"{dataset_iri(dataset)}#access-body")
        graph.add((node, RDF.type, FOAF.Agent))
        graph.add((node, FOAF.name, Literal(dac.name)))
        if dac.contact_email:
            graph.add((node, FOAF.mbox, URIRef(f"mailto:{dac.contact_email}")))
        graph.add((dataset_iri(dataset), HEALTHDCATAP.hdab, node))
