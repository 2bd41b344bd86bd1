"""Search fixtures: a small corpus, and the backends the contract suite runs against.

``search_backend`` is parametrised over every backend; its Elasticsearch variant carries the
``elasticsearch`` marker and *fails* (never skips) when the server does not answer. Each
Elasticsearch test gets its own indices under ``<ELASTICSEARCH_INDEX_PREFIX>-t<pid>``, so test
runs sharing one server do not see each other's documents.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from catalogue.models import Concept, Dataset, DataType, DuoTerm, PartnerKind, Variable
from catalogue.search.backends import reset_search_backends
from catalogue.search.backends.base import SearchBackend
from catalogue.search.backends.database import DatabaseSearchBackend
from catalogue.search.corrections import forget_vocabulary
from catalogue.search.facets import clear_facet_label_cache
from catalogue.search.outbox import record_dataset_changes
from catalogue.search.sync import apply_pending_changes
from catalogue.search.vector_index import forget_text_matrix
from tests.catalogue.factories import (
    ConceptFactory,
    ConsentFactory,
    DatasetFactory,
    DraftDatasetFactory,
    PartnerFactory,
    UserFactory,
    VariableFactory,
)
from tests.conftest import Cast


def test_index_prefix() -> str:
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-t{os.getpid()}".lower()


test_index_prefix.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


def make_elasticsearch_backend(**options: object) -> SearchBackend:
    from catalogue.search.backends.elasticsearch import ElasticsearchSearchBackend

    options = {"index_prefix": test_index_prefix(), "refresh": True, **options}
    return ElasticsearchSearchBackend(**options)


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    """Facet labels, backend instances and the did-you-mean vocabulary are cached per process; tests
    change partners, settings and the catalogue."""
    clear_facet_label_cache()
    reset_search_backends()
    forget_vocabulary()
    forget_text_matrix()  # the database rolls back between tests; the vectors this process computed stay cached
    yield
    reset_search_backends()


@pytest.fixture
def elasticsearch_backend(db) -> Iterator[SearchBackend]:
    backend = make_elasticsearch_backend()
    try:
        backend.client.info()
    except Exception as error:
        pytest.fail(
            f"Elasticsearch at {settings.ELASTICSEARCH_URL} does not answer ({error}); "
            "start it with `bash scripts/elasticsearch.sh` (make services)."
        )
    backend.drop_indices()
    backend.prepare()
    yield backend
    backend.drop_indices()


@pytest.fixture(
    params=["database", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)],
)
def search_backend(request: pytest.FixtureRequest, db) -> SearchBackend:
    if request.param == "elasticsearch":
        return request.getfixturevalue("elasticsearch_backend")
    backend = DatabaseSearchBackend()
    backend.clear()
    return backend


def sync(backend: SearchBackend, datasets: list[Dataset | int] | None = None) -> None:
    """Record the datasets' changes (datasets or ids; all datasets by default) in the outbox and apply them."""
    if datasets is None:
        ids = list(Dataset.objects.values_list("pk", flat=True))
    else:
        ids = [d if isinstance(d, int) else d.pk for d in datasets]
    record_dataset_changes(ids)
    report = apply_pending_changes(backend=backend)
    assert not report.error, report.error


@dataclass
class Corpus:
    cast: Cast
    munich_aml: Dataset
    madrid_myeloma: Dataset
    relapse_aml: Dataset
    draft_cll: Dataset
    retired_mds: Dataset
    other_draft: Dataset
    npm1_exact: Variable
    npm1_mention: Variable


def concept(vocabulary: str, code: str, name: str) -> Concept:
    return ConceptFactory(vocabulary_id=vocabulary, code=code, name=name)


@pytest.fixture
def corpus(cast: Cast) -> Corpus:
    """Five datasets over the cast's partners (A: Germany, academic; B: Spain, academic) and a third partner.

    * Munich AML (A, published, 1200 patients, 2015-2020): npm1_status, flt3_itd, eln2022_risk
    * Madrid myeloma (B, published, 300 patients, 2005-2012): iss_stage, lab_notes (mentions npm1)
    * AML relapse (third partner, pharma, IT, published, 80 patients, 2019-): npm1, flt3_itd_status
    * Draft CLL (A, draft), Retired MDS (A, retired), another draft (B, draft)
    """
    pharma = PartnerFactory(name="Farmaco Italia", short_name="FIT", slug="fit", country="IT", kind=PartnerKind.PHARMA)
    npm1 = concept("HGNC", "NPM1", "nucleophosmin 1")
    flt3 = concept("HGNC", "FLT3", "fms related receptor tyrosine kinase 3")
    clinical = DataType.objects.get(code="clinical")
    wgs = DataType.objects.get(code="wgs")
    now = timezone.now()

    munich = DatasetFactory(
        partner=cast.partner_a,
        title="AML cohort München",
        slug="aml-cohort-munchen",
        description="Adult acute myeloid leukaemia patients treated at the Klinikum in München.",
        patient_count=1200,
        collection_start=datetime.date(2015, 1, 1),
        collection_end=datetime.date(2020, 6, 30),
        diseases=["AML"],
        keywords=["leukaemia", "genomics"],
    )
    munich.data_types.set([clinical, wgs])
    consent = ConsentFactory(dataset=munich, permission=DuoTerm.objects.get(short_code="HMB"))
    consent.modifiers.create(term=DuoTerm.objects.get(short_code="PUB"))
    npm1_status = VariableFactory(dataset=munich, name="npm1_status", label="NPM1 mutation status")
    npm1_status.concepts.set([npm1])
    flt3_itd = VariableFactory(dataset=munich, name="flt3_itd", label="FLT3-ITD status")
    flt3_itd.concepts.set([flt3])
    VariableFactory(dataset=munich, name="eln2022_risk", label="ELN 2022 risk", description="Risk group")

    madrid = DatasetFactory(
        partner=cast.partner_b,
        title="Myeloma registry Madrid",
        slug="myeloma-registry-madrid",
        description="Multiple myeloma registry with ISS staging.",
        patient_count=300,
        collection_start=datetime.date(2005, 3, 1),
        collection_end=datetime.date(2012, 12, 31),
        diseases=["MM"],
    )
    madrid.data_types.set([clinical])
    ConsentFactory(dataset=madrid, permission=DuoTerm.objects.get(short_code="GRU"))
    VariableFactory(dataset=madrid, name="iss_stage", label="ISS stage")
    npm1_mention = VariableFactory(
        dataset=madrid,
        name="lab_notes",
        label="Laboratory notes",
        description="Free text; sometimes records whether npm1 was tested.",
    )

    relapse = DatasetFactory(
        partner=pharma,
        title="AML relapse study",
        slug="aml-relapse-study",
        description="Relapsed AML after intensive chemotherapy.",
        patient_count=80,
        collection_start=datetime.date(2019, 1, 1),
        collection_end=None,
        diseases=["AML"],
    )
    relapse.data_types.set([wgs])
    npm1_exact = VariableFactory(dataset=relapse, name="npm1", label="NPM1")
    npm1_exact.concepts.set([npm1])
    VariableFactory(dataset=relapse, name="flt3_itd_status", label="FLT3 ITD").concepts.set([flt3])

    draft = DraftDatasetFactory(
        partner=cast.partner_a, title="Draft CLL cohort", slug="draft-cll", patient_count=50, diseases=["CLL"]
    )
    VariableFactory(dataset=draft, name="ighv_status", label="IGHV mutation status")
    retired = DatasetFactory(
        partner=cast.partner_a,
        title="Retired MDS cohort",
        slug="retired-mds",
        status="retired",
        retired_at=now,
        patient_count=40,
        diseases=["MDS"],
    )
    VariableFactory(dataset=retired, name="ipss_r", label="IPSS-R")
    other_draft = DraftDatasetFactory(partner=cast.partner_b, title="Draft Spanish CLL", slug="draft-es-cll")
    return Corpus(cast, munich, madrid, relapse, draft, retired, other_draft, npm1_exact, npm1_mention)


@pytest.fixture
def outsider() -> AbstractBaseUser:
    return UserFactory(username="otto")
