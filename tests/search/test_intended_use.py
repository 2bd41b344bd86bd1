"""Discovery filtered by intended use: verdicts per hit, the admitted-only filter (every backend), bad input (400),
and agreement with governance's consent check on the demo catalogue."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.utils import timezone

from catalogue.consent_matching import IntendedUse
from catalogue.demo.seed import seed_catalogue
from catalogue.models import Dataset, DuoTerm, MembershipRole, MondoTerm, Partner, PartnerKind
from catalogue.search import selectors
from catalogue.search.backends.base import SearchBackend
from catalogue.search.intended_use import (
    ADMITTED,
    NEEDS_REVIEW,
    NOT_ADMITTED,
    USE_VERDICTS,
    build_intended_use,
    verdicts_for,
)
from catalogue.services.memberships import membership_grant
from governance.models import AccessRequest, AccessRequestItem
from governance.selectors import item_verdict
from tests.catalogue.factories import ConsentFactory
from tests.conftest import api_as
from tests.search.conftest import Corpus, sync

DATASETS_URL = "/api/v1/search/datasets/"
VARIABLES_URL = "/api/v1/search/variables/"

GENERAL_RESEARCH = IntendedUse(purpose="GRU")
MEDICAL_PUBLISHED = IntendedUse(purpose="HMB", will_publish=True)


@pytest.fixture
def indexed(search_backend: SearchBackend, corpus: Corpus) -> Corpus:
    sync(search_backend)
    return corpus


def verdicts(results) -> dict[str, str]:
    return {hit.document["title"]: hit.use_verdict.status for hit in results.hits}


# Every backend -------------------------------------------------------------------------------


def test_each_dataset_hit_says_whether_its_consents_admit_the_use(search_backend, indexed):
    results = selectors.search_datasets(user=None, intended_use=GENERAL_RESEARCH, backend=search_backend)
    assert verdicts(results) == {
        "AML cohort München": NOT_ADMITTED,  # HMB consent, publication required
        "Myeloma registry Madrid": ADMITTED,  # GRU consent
        "AML relapse study": NOT_ADMITTED,  # no consent at all
    }
    munich = next(hit for hit in results.hits if hit.document["slug"] == "aml-cohort-munchen")
    assert munich.use_verdict.reasons == (
        "The consent (HMB) admits only health/medical/biomedical research, not general research.",
        "The consent requires the results to be published (PUB); the request does not commit to it.",
    )
    relapse = next(hit for hit in results.hits if hit.document["slug"] == "aml-relapse-study")
    assert relapse.use_verdict.reasons == ("The dataset has no active consent, so no use can be admitted.",)


def test_without_an_intended_use_hits_carry_no_verdict(search_backend, indexed):
    results = selectors.search_datasets(user=None, backend=search_backend)
    assert all(hit.use_verdict is None for hit in results.hits)


def test_the_admitted_filter_keeps_only_admitted_datasets_with_their_total_and_facets(search_backend, indexed):
    results = selectors.search_datasets(
        user=None, intended_use=MEDICAL_PUBLISHED, use_verdicts=[ADMITTED], backend=search_backend
    )
    assert sorted(verdicts(results)) == ["AML cohort München", "Myeloma registry Madrid"]
    assert results.total == 2
    assert {c.value: c.count for c in results.facets["disease"]} == {"AML": 1, "MM": 1}

    results = selectors.search_datasets(
        user=None, text="AML", intended_use=GENERAL_RESEARCH, use_verdicts=[ADMITTED], backend=search_backend
    )
    assert results.total == 0


def test_the_filter_applies_to_variables_by_their_dataset(search_backend, indexed):
    results = selectors.search_variables(
        user=None, intended_use=GENERAL_RESEARCH, use_verdicts=[ADMITTED], backend=search_backend
    )
    assert {hit.document["dataset_slug"] for hit in results.hits} == {"myeloma-registry-madrid"}
    assert {hit.use_verdict.status for hit in results.hits} == {ADMITTED}
    results = selectors.search_variables(
        user=None, text="npm1", intended_use=GENERAL_RESEARCH, use_verdicts=[NOT_ADMITTED], backend=search_backend
    )
    assert {hit.document["name"] for hit in results.hits} == {"npm1", "npm1_status"}


def test_a_restriction_the_matcher_cannot_check_means_needs_review(search_backend, indexed):
    consent = indexed.madrid_myeloma.consents.get()
    consent.modifiers.create(term=DuoTerm.objects.get(short_code="GS"), value="ES, PT")
    results = selectors.search_datasets(
        user=None, intended_use=GENERAL_RESEARCH, use_verdicts=[NEEDS_REVIEW], backend=search_backend
    )
    assert verdicts(results) == {"Myeloma registry Madrid": NEEDS_REVIEW}
    assert results.hits[0].use_verdict.notes == (
        "Needs committee review — geographical restriction (GS: ES, PT); where the data will be used is not stated.",
    )
    in_spain = dataclasses.replace(GENERAL_RESEARCH, countries=frozenset({"ES"}))
    results = selectors.search_datasets(
        user=None, intended_use=in_spain, use_verdicts=[ADMITTED], backend=search_backend
    )
    assert verdicts(results) == {"Myeloma registry Madrid": ADMITTED}


def test_the_filter_never_widens_visibility(search_backend, indexed):
    ConsentFactory(dataset=indexed.draft_cll, permission=DuoTerm.objects.get(short_code="GRU"))
    results = selectors.search_datasets(
        user=None, intended_use=GENERAL_RESEARCH, use_verdicts=[ADMITTED], backend=search_backend
    )
    assert verdicts(results) == {"Myeloma registry Madrid": ADMITTED}
    results = selectors.search_datasets(
        user=indexed.cast.olga_owner_curator,
        intended_use=GENERAL_RESEARCH,
        use_verdicts=[ADMITTED],
        backend=search_backend,
    )
    assert verdicts(results) == {"Myeloma registry Madrid": ADMITTED, "Draft CLL cohort": ADMITTED}


def test_disease_specific_use_follows_the_mondo_ancestry(search_backend, indexed):
    # a DS consent on "hematologic cancer" admits research on AML (a descendant), never the reverse
    ConsentFactory(
        dataset=indexed.relapse_aml, permission=DuoTerm.objects.get(short_code="DS"), diseases=["MONDO:0044881"]
    )
    use = build_intended_use(purpose="DS", disease=MondoTerm.objects.get(pk="MONDO:0012883"), will_publish=True)
    results = selectors.search_datasets(user=None, intended_use=use, use_verdicts=[ADMITTED], backend=search_backend)
    assert set(verdicts(results)) == {"AML cohort München", "Myeloma registry Madrid", "AML relapse study"}
    wider = build_intended_use(purpose="DS", disease=MondoTerm.objects.get(pk="MONDO:0004992"), will_publish=True)
    results = selectors.search_datasets(user=None, intended_use=wider, backend=search_backend)
    assert verdicts(results)["AML relapse study"] == NOT_ADMITTED


# API: parameters, output, bad input ---------------------------------------------------------


@pytest.fixture
def indexed_db(corpus: Corpus, settings) -> Corpus:
    settings.SEARCH_BACKEND = "database"
    from catalogue.search.backends.database import DatabaseSearchBackend

    sync(DatabaseSearchBackend())
    return corpus


def test_api_states_the_use_and_shows_verdicts_with_reasons(indexed_db):
    response = api_as(None).get(DATASETS_URL, {"use_purpose": "gru", "use_verdict": "admitted"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["slug"] == "myeloma-registry-madrid"
    assert body["results"][0]["intended_use"] == {
        "status": "admitted",
        "label": "Consent admits this use",
        "reasons": [],
        "notes": [],
        "reason_codes": [],
        "note_codes": [],
    }
    response = api_as(None).get(DATASETS_URL, {"use_purpose": "HMB", "q": "München"})
    (hit,) = response.json()["results"]
    assert hit["intended_use"]["status"] == "not_admitted"
    assert hit["intended_use"]["reasons"] == [
        "The consent requires the results to be published (PUB); the request does not commit to it."
    ]
    response = api_as(None).get(DATASETS_URL, {"use_purpose": "HMB", "use_will_publish": "true", "q": "München"})
    assert response.json()["results"][0]["intended_use"]["status"] == "admitted"


def test_api_reasons_follow_the_answer_language_and_keep_their_codes(indexed_db):
    params = {"use_purpose": "HMB", "q": "München"}
    english = api_as(None).get(DATASETS_URL, params, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]["intended_use"]
    german = api_as(None).get(DATASETS_URL, params, HTTP_ACCEPT_LANGUAGE="de").json()["results"][0]["intended_use"]
    assert german["status"] == english["status"] == "not_admitted"
    assert german["label"] == "Die Einwilligung erlaubt diese Nutzung nicht"
    assert german["reasons"] == [
        "Die Einwilligung verlangt die Veröffentlichung der Ergebnisse (PUB); der Antrag verpflichtet sich nicht dazu."
    ]
    assert german["reason_codes"] == english["reason_codes"] == ["modifier.pub"]


def test_api_without_a_use_returns_null_verdicts(indexed_db):
    response = api_as(None).get(VARIABLES_URL, {"q": "npm1"})
    assert response.status_code == 200
    assert {hit["intended_use"] for hit in response.json()["results"]} == {None}


def test_for_profit_defaults_from_the_users_partner(indexed_db):
    npu = DuoTerm.objects.get(short_code="NPU")
    indexed_db.madrid_myeloma.consents.get().modifiers.create(term=npu)
    company = Partner.objects.create(name="Pharma SA", short_name="PSA", slug="psa", country="FR", kind="pharma")
    assert company.kind == PartnerKind.PHARMA
    researcher = indexed_db.cast.rita_researcher
    params = {"use_purpose": "GRU", "q": "iss stage"}  # a variable of the Madrid myeloma registry
    assert api_as(researcher).get(VARIABLES_URL, params).json()["results"][0]["intended_use"]["status"] == ADMITTED
    membership_grant(user=researcher, partner=company, role=MembershipRole.RESEARCHER)
    verdict = api_as(researcher).get(VARIABLES_URL, params).json()["results"][0]["intended_use"]
    assert verdict["reasons"] == ["Use by for-profit organisations is prohibited (NPU)."]
    params["use_for_profit"] = "false"
    assert api_as(researcher).get(VARIABLES_URL, params).json()["results"][0]["intended_use"]["status"] == ADMITTED


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        (
            {"use_purpose": "XYZ"},
            "use_purpose",
            "Unknown research purpose 'XYZ': use one of DS, HMB, GRU, POA, METHODS.",
        ),
        ({"use_purpose": "HMB", "use_disease": "NOPE"}, "use_disease", "Unknown disease 'NOPE': give a MONDO id"),
        ({"use_purpose": "DS", "use_disease": "MONDO:0005148"}, "use_disease", "Unknown disease 'MONDO:0005148'"),
        ({"use_purpose": "DS"}, "use_disease", "Disease-specific research (DS) needs the disease it is about."),
        (
            {"use_verdict": "admitted"},
            "use_purpose",
            "State the research purpose (DS, HMB, GRU, POA, METHODS) of the intended use.",
        ),
        (
            {"use_commercial": "true"},
            "use_purpose",
            "State the research purpose (DS, HMB, GRU, POA, METHODS) of the intended use.",
        ),
        ({"use_purpose": "GRU", "use_countries": ["DE", "ZZ"]}, "use_countries", "Unknown country 'ZZ'"),
        ({"use_purpose": "GRU", "use_institution": "nowhere"}, "use_institution", "Unknown institution 'nowhere'"),
        ({"use_purpose": "GRU", "use_sensitive": "astrology"}, "use_sensitive", '"astrology" is not a valid choice.'),
        (
            {"use_purpose": "GRU", "use_publication_date": "2027-13-01"},
            "use_publication_date",
            "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
        ),
        ({"use_purpose": "GRU", "use_verdict": "maybe"}, "use_verdict", '"maybe" is not a valid choice.'),
        ({"use_purpose": "GRU", "use_end": "soon"}, "use_end", None),
    ],
)
@pytest.mark.parametrize("url", [DATASETS_URL, VARIABLES_URL])
def test_bad_intended_use_is_a_400_with_field_messages(db, url, params, field, message):
    response = api_as(None).get(url, params)
    assert response.status_code == 400
    errors = response.json()
    errors = errors.get("fields", errors)
    assert field in errors
    if message is not None:
        assert message in str(errors[field])


# Agreement with governance -------------------------------------------------------------------


@pytest.mark.django_db
def test_search_verdicts_equal_governances_item_verdicts_on_the_demo_catalogue(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    seed_catalogue()
    today = timezone.localdate()
    academic = Partner.objects.filter(kind=PartnerKind.ACADEMIC).first()
    pharma = Partner.objects.filter(kind=PartnerKind.PHARMA).first()
    aml, dlbcl = MondoTerm.objects.get(pk="MONDO:0018874"), MondoTerm.objects.get(pk="MONDO:0018905")
    datasets = list(Dataset.objects.order_by("pk"))
    uses = [
        (academic, {"purpose": "GRU"}),
        (academic, {"purpose": "HMB"}),
        (academic, {"purpose": "HMB", "will_publish": True, "ethics_reference": "EC-1"}),
        (academic, {"purpose": "POA", "will_publish": True}),
        (academic, {"purpose": "DS", "disease": aml, "will_publish": True}),
        (
            academic,
            {"purpose": "DS", "disease": dlbcl, "will_publish": True, "requested_end": datetime.date(2030, 1, 1)},
        ),
        (pharma, {"purpose": "HMB", "will_publish": True}),
        (pharma, {"purpose": "HMB", "will_publish": True, "commercial": True}),
        (academic, {"purpose": "METHODS", "disease": aml, "countries_of_use": ["DE"]}),
        (academic, {"purpose": "HMB", "publication_date": datetime.date(2027, 1, 1), "countries_of_use": ["US"]}),
        (academic, {"purpose": "HMB", "sensitive_research": ["pediatric"], "will_publish": True}),
    ]
    seen = set()
    for partner, fields in uses:
        request = AccessRequest(partner=partner, **fields)
        search_use = build_intended_use(
            purpose=request.purpose,
            disease=request.disease,
            commercial=request.commercial,
            for_profit=partner.kind in (PartnerKind.PHARMA, PartnerKind.SME),
            will_publish=request.will_publish,
            ethics_reference=request.ethics_reference,
            end=request.requested_end,
            publication_date=request.publication_date,
            countries=request.countries_of_use,
            institution=partner,
            sensitive=request.sensitive_research,
        )
        search = verdicts_for(search_use, [d.pk for d in datasets], today=today)
        for dataset in datasets:
            governance = item_verdict(AccessRequestItem(request=request, dataset=dataset), today=today)
            assert (search[dataset.pk].status != NOT_ADMITTED) == governance.compatible, (dataset, fields)
            assert search[dataset.pk].reasons == governance.reasons
            assert search[dataset.pk].notes == governance.notes
            seen.add(search[dataset.pk].status)
    assert seen == set(USE_VERDICTS)  # the demo consents exercise every verdict


def test_verdicts_for_a_page_take_at_most_four_queries_whatever_its_size(indexed_db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(**options) -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.search_datasets(user=None, **options)
        return len(captured)

    queries()  # facet labels are cached per process: load them first
    for page_size in (1, 3):
        extra = queries(page_size=page_size, intended_use=GENERAL_RESEARCH) - queries(page_size=page_size)
        assert extra <= 4, page_size  # consents with their permission, their modifiers, terms, diseases


def test_search_page_states_the_use_once_and_shows_verdicts_with_reasons(indexed_db):
    from django.test import Client

    html = Client().get("/search/", {"use_purpose": "GRU", "use_verdict": "admitted"}).content.decode()
    assert '<option value="GRU" selected>' in html
    assert 'name="use_verdict" value="admitted" checked' in html
    assert "Myeloma registry Madrid" in html
    assert "Consent admits this use" in html
    assert "AML cohort München" not in html
    html = Client().get("/search/", {"use_purpose": "HMB", "q": "München"}).content.decode()
    assert "Consent does not admit this use" in html
    assert "The consent requires the results to be published (PUB); the request does not commit to it." in html
    response = Client().get("/search/", {"use_purpose": "DS"})
    assert response.status_code == 400
    assert "Disease-specific research (DS) needs the disease it is about." in response.content.decode()
