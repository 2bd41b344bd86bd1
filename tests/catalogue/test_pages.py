"""The catalogue's HTML pages, per role: anonymous, rita (researcher), olga (curator of the owning
partner A), carl (curator of another partner, B) and ada (admin)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from catalogue.models import Consent, Dataset, DatasetStatus, DuoTerm, Variable
from tests.catalogue.factories import (
    ConceptFactory,
    ConsentFactory,
    DatasetFactory,
    DataUseModifierFactory,
    DraftDatasetFactory,
    PartnerFactory,
    VariableFactory,
)

pytestmark = pytest.mark.django_db


def client_as(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def published(cast) -> Dataset:
    dataset = DatasetFactory(
        partner=cast.partner_a, title="Leukaemia Registry A", slug="registry-a", diseases=["AML"], patient_count=1234
    )
    consent = ConsentFactory(
        dataset=dataset,
        form_version="v2",
        permission=DuoTerm.objects.get(short_code="DS"),
        diseases=["AML"],
    )
    DataUseModifierFactory(consent=consent, term=DuoTerm.objects.get(short_code="NPU"))
    DataUseModifierFactory(
        consent=consent, term=DuoTerm.objects.get(short_code="MOR"), until=datetime.date(2031, 1, 31)
    )
    VariableFactory(dataset=dataset, name="npm1_status", label="NPM1 mutation status", position=1)
    VariableFactory(dataset=dataset, name="flt3_itd", label="FLT3-ITD status", position=2)
    return dataset


@pytest.fixture
def draft(cast) -> Dataset:
    return DraftDatasetFactory(partner=cast.partner_a, title="Secret Draft Cohort", slug="secret-draft")


def page(response) -> str:
    return response.content.decode()


# --- public pages -----------------------------------------------------------------------------------


def test_home_shows_the_catalogue_at_a_glance(published, draft):
    response = client_as(None).get("/")
    assert response.status_code == 200
    html = page(response)
    assert "<title>Hematology data across Europe · HARMONY Catalogue</title>" in html
    assert "1,234" in html  # patients of published datasets only
    assert "Acute myeloid leukaemia" in html
    assert "Leukaemia Registry A" in html
    assert "Secret Draft Cohort" not in html


def test_home_empty_catalogue_says_what_to_do():
    html = page(client_as(None).get("/"))
    assert "No dataset has been published yet" in html


@pytest.mark.parametrize("who", [None, "rita_researcher", "carl_other_curator"])
def test_dataset_list_hides_drafts_from_everyone_but_their_curators(cast, published, draft, who):
    html = page(client_as(getattr(cast, who) if who else None).get("/datasets/"))
    assert "Leukaemia Registry A" in html
    assert "Secret Draft Cohort" not in html


def test_dataset_list_shows_drafts_to_the_owning_curator(cast, published, draft):
    html = page(client_as(cast.olga_owner_curator).get("/datasets/"))
    assert "Secret Draft Cohort" in html
    assert 'class="badge draft"' in html


def test_dataset_list_filters_by_disease_country_and_partner(cast, published):
    other = DatasetFactory(partner=cast.partner_b, title="Myeloma Spain", diseases=["MM"])
    client = client_as(None)
    assert "Myeloma Spain" not in page(client.get("/datasets/?disease=AML"))
    assert "Leukaemia Registry A" in page(client.get("/datasets/?disease=AML"))
    html = page(client.get("/datasets/?country=ES"))
    assert other.title in html and "Leukaemia Registry A" not in html
    html = page(client.get("/datasets/?partner=aha"))
    assert "Leukaemia Registry A" in html and other.title not in html
    html = page(client.get("/datasets/?disease=CML"))
    assert "No dataset matches these filters" in html


def test_dataset_list_pages(cast):
    for number in range(25):
        DatasetFactory(partner=cast.partner_a, title=f"Cohort {number:02d}")
    client = client_as(None)
    first, second = page(client.get("/datasets/")), page(client.get("/datasets/?page=2"))
    assert "Cohort 00" in first and "Cohort 24" not in first
    assert "Cohort 24" in second and "Cohort 00" not in second
    assert "21\N{EN DASH}25 of 25" in second


def test_dataset_detail_for_anonymous(published):
    response = client_as(None).get(reverse("dataset_detail", args=[published.slug]))
    assert response.status_code == 200
    html = page(response)
    assert "<h1>Leukaemia Registry A" in html
    assert "Research on acute myeloid leukemia only" in html
    assert "DUO:0000007" in html and "DUO:0000045" in html  # DS, NPU
    assert "31 January 2031" in html  # MOR date
    assert "npm1_status" in html and "flt3_itd" in html
    assert 'aria-current="page">Leukaemia Registry A</li>' in html  # breadcrumb


@pytest.mark.parametrize("who", [None, "rita_researcher", "carl_other_curator"])
def test_draft_detail_is_404_for_outsiders(cast, draft, who):
    response = client_as(getattr(cast, who) if who else None).get(reverse("dataset_detail", args=[draft.slug]))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["olga_owner_curator", "ada_admin"])
def test_draft_detail_for_curator_and_admin(cast, draft, who):
    response = client_as(getattr(cast, who)).get(reverse("dataset_detail", args=[draft.slug]))
    assert response.status_code == 200
    assert "Manage this dataset" in page(response)


def test_variables_table_searches_sorts_and_pages(published):
    for number in range(60):
        VariableFactory(dataset=published, name=f"lab_{number:02d}", position=10 + number)
    url = reverse("dataset_detail", args=[published.slug])
    client = client_as(None)
    html = page(client.get(url, {"q": "FLT3"}))
    assert "flt3_itd" in html and "npm1_status" not in html
    assert "1 variable matching" in html
    html = page(client.get(url, {"sort": "-name"}))
    assert html.index("npm1_status") < html.index("lab_59")
    assert 'aria-sort="descending"' in html
    html = page(client.get(url, {"page": 2}))
    assert "lab_59" in html and "npm1_status" not in html
    html = page(client.get(url, {"q": "nothing-like-this"}))
    assert "No variable matches" in html


def test_variables_table_htmx_returns_only_the_table(published):
    response = client_as(None).get(
        reverse("dataset_detail", args=[published.slug]),
        {"q": "npm1"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="variables",
    )
    html = page(response)
    assert html.lstrip().startswith('<div id="variables">')
    assert "<html" not in html and "npm1_status" in html


def test_partner_pages(cast, published, draft):
    client = client_as(None)
    html = page(client.get("/partners/"))
    assert "Academic Hospital A" in html and "University B" in html
    html = page(client.get("/partners/?country=ES"))
    assert "University B" in html and "Academic Hospital A" not in html
    html = page(client.get(reverse("partner_detail", args=["aha"])))
    assert "Leukaemia Registry A" in html and "Secret Draft Cohort" not in html
    html = page(client.get(reverse("partner_detail", args=["unb"])))
    assert "has not published a dataset yet" in html
    assert client.get(reverse("partner_detail", args=["nope"])).status_code == 404


def test_sign_in_page_and_sign_in(cast):
    client = Client()
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "<h1>Sign in</h1>" in page(response)
    response = client.post("/accounts/login/", {"username": "rita", "password": "wrong"})
    assert "Please enter a correct username and password" in page(response)
    response = client.post("/accounts/login/", {"username": "rita", "password": "harmony-test"})
    assert response.status_code == 302 and response.url == "/"


def test_navigation_by_role(cast):
    assert "My datasets" not in page(client_as(cast.rita_researcher).get("/"))
    assert "My datasets" in page(client_as(cast.olga_owner_curator).get("/"))
    assert "Statistics" in page(client_as(cast.ada_admin).get("/"))
    assert "Sign in" in page(client_as(None).get("/"))


def test_admin_link_in_the_navigation_only_for_staff(cast):
    admin_link = 'href="/admin/"'
    assert admin_link in page(client_as(cast.ada_admin).get("/"))
    cast.carl_other_curator.is_staff = True
    cast.carl_other_curator.save(update_fields=["is_staff"])
    assert admin_link in page(client_as(cast.carl_other_curator).get("/"))
    for user in (None, cast.rita_researcher, cast.olga_owner_curator):
        assert admin_link not in page(client_as(user).get("/"))


# --- query counts -----------------------------------------------------------------------------------


@pytest.fixture
def many_datasets(cast) -> list[Dataset]:
    datasets = []
    for number in range(20):
        partner = PartnerFactory()
        dataset = DatasetFactory(partner=partner, title=f"Bulk {number:02d}", diseases=["AML", "MM"])
        VariableFactory.create_batch(3, dataset=dataset)
        datasets.append(dataset)
    return datasets


def test_dataset_list_query_count_is_bounded(cast, many_datasets, django_assert_max_num_queries):
    client = client_as(cast.olga_owner_curator)
    with django_assert_max_num_queries(14):
        response = client.get("/datasets/")
    assert page(response).count('<li>\n  <h3><a href="/datasets/') == 20


def test_home_query_count_is_bounded(cast, many_datasets, django_assert_max_num_queries):
    client = client_as(cast.rita_researcher)
    with django_assert_max_num_queries(16):
        response = client.get("/")
    assert page(response).count('<li>\n  <h3><a href="/datasets/') == 6


def test_partner_pages_query_count_is_bounded(cast, many_datasets, django_assert_max_num_queries):
    client = client_as(None)
    with django_assert_max_num_queries(6):
        client.get("/partners/")
    with django_assert_max_num_queries(8):
        client.get(reverse("partner_detail", args=[many_datasets[0].partner.slug]))


def test_dataset_detail_query_count_is_bounded(cast, published, django_assert_max_num_queries):
    concepts = [ConceptFactory() for _ in range(3)]
    for number in range(50):
        variable = VariableFactory(dataset=published, name=f"v_{number:02d}")
        variable.concepts.set(concepts)
    for number in range(5):
        consent = ConsentFactory(dataset=published, form_version=f"extra-{number}")
        DataUseModifierFactory(consent=consent)
    client = client_as(cast.olga_owner_curator)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("dataset_detail", args=[published.slug]))
    assert page(response).count('data-label="Name"') == 50


# --- curation ---------------------------------------------------------------------------------------


def test_curation_pages_need_sign_in(published):
    for name in ("my_datasets", "dataset_create"):
        response = client_as(None).get(reverse(name))
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_my_datasets_is_for_curators(cast, published, draft):
    assert client_as(cast.rita_researcher).get(reverse("my_datasets")).status_code == 403
    html = page(client_as(cast.olga_owner_curator).get(reverse("my_datasets")))
    assert "Secret Draft Cohort" in html and "Leukaemia Registry A" in html
    html = page(client_as(cast.carl_other_curator).get(reverse("my_datasets")))
    assert "You have not registered a dataset yet" in html
    html = page(client_as(cast.olga_owner_curator).get(reverse("my_datasets"), {"status": "retired"}))
    assert "No retired dataset" in html


def test_register_dataset_with_the_guided_form(cast):
    client = client_as(cast.olga_owner_curator)
    html = page(client.get(reverse("dataset_create")))
    assert "Who holds it" in html and "When and where" in html
    response = client.post(
        reverse("dataset_create"),
        {
            "partner": cast.partner_a.pk,
            "title": "New AML Cohort",
            "description": "Adults treated 2015-2020.",
            "patient_count": "250",
            "patient_countries": ["DE", "AT"],
            "data_model": "omop-5.4",
            "keywords": "relapse, FLT3",
            "version": "1.0",
        },
    )
    dataset = Dataset.objects.get(title="New AML Cohort")
    assert response.status_code == 302 and response.url == reverse("dataset_dictionary", args=[dataset.slug])
    assert dataset.status == DatasetStatus.DRAFT and dataset.partner == cast.partner_a
    assert dataset.keywords == ["relapse", "FLT3"] and dataset.patient_countries == ["DE", "AT"]


def test_register_dataset_shows_errors_next_to_fields(cast):
    client = client_as(cast.olga_owner_curator)
    response = client.post(
        reverse("dataset_create"),
        {
            "partner": cast.partner_a.pk,
            "title": "",
            "patient_count": "-5",
            "collection_start": "2020-01-01",
            "collection_end": "2019-01-01",
            "data_model": "custom",
            "version": "1",
        },
    )
    html = page(response)
    assert response.status_code == 200
    assert "This field is required." in html
    assert 'id="id_title_error"' in html
    assert not Dataset.objects.exists()


def test_service_errors_land_next_to_their_field(cast):
    response = client_as(cast.olga_owner_curator).post(
        reverse("dataset_create"),
        {
            "partner": cast.partner_a.pk,
            "title": "Backwards",
            "collection_start": "2020-01-01",
            "collection_end": "2019-01-01",
            "data_model": "custom",
            "version": "1",
        },
    )
    html = page(response)
    assert "The collection period must not end before it starts." in html
    assert 'id="id_collection_end_error"' in html


def test_curator_cannot_register_for_another_partner(cast):
    response = client_as(cast.carl_other_curator).post(
        reverse("dataset_create"),
        {"partner": cast.partner_a.pk, "title": "Hijack", "data_model": "custom", "version": "1"},
    )
    assert "Select a valid choice" in page(response)
    assert not Dataset.objects.filter(title="Hijack").exists()
    assert client_as(cast.rita_researcher).get(reverse("dataset_create")).status_code == 403


def test_edit_dataset(cast, published):
    url = reverse("dataset_edit", args=[published.slug])
    assert client_as(cast.carl_other_curator).get(url).status_code == 403
    assert client_as(cast.rita_researcher).post(url, {"title": "x"}).status_code == 403
    client = client_as(cast.olga_owner_curator)
    html = page(client.get(url))
    assert 'value="Leukaemia Registry A"' in html
    response = client.post(url, {"title": "Leukaemia Registry A (v2)", "data_model": "custom", "version": "2.0"})
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.title == "Leukaemia Registry A (v2)" and published.version == "2.0"


def test_manage_page_is_for_the_owning_curator(cast, published, draft):
    assert client_as(cast.carl_other_curator).get(reverse("dataset_manage", args=[published.slug])).status_code == 403
    assert client_as(cast.carl_other_curator).get(reverse("dataset_manage", args=[draft.slug])).status_code == 404
    html = page(client_as(cast.olga_owner_curator).get(reverse("dataset_manage", args=[draft.slug])))
    assert ">Publish</button>" in html


def test_publish_needs_a_consent_then_succeeds(cast, draft, partner_a_committee):
    client = client_as(cast.olga_owner_curator)
    response = client.post(reverse("dataset_publish", args=[draft.slug]), follow=True)
    assert "State at least one consent" in page(response)
    ConsentFactory(dataset=draft)
    response = client.post(reverse("dataset_publish", args=[draft.slug]), follow=True)
    assert "is published" in page(response)
    draft.refresh_from_db()
    assert draft.status == DatasetStatus.PUBLISHED


def test_publish_and_retire_refused_to_other_curators(cast, published, draft):
    client = client_as(cast.carl_other_curator)
    assert client.post(reverse("dataset_retire", args=[published.slug]), {"confirmed": "yes"}).status_code == 403
    assert client.post(reverse("dataset_publish", args=[draft.slug])).status_code == 404
    assert client.get(reverse("dataset_retire", args=[published.slug])).status_code == 403
    published.refresh_from_db()
    assert published.status == DatasetStatus.PUBLISHED


def test_retire(cast, published):
    client_as(cast.olga_owner_curator).post(reverse("dataset_retire", args=[published.slug]), {"confirmed": "yes"})
    published.refresh_from_db()
    assert published.status == DatasetStatus.RETIRED
    assert "Leukaemia Registry A" not in page(client_as(None).get("/datasets/"))


# --- data dictionary --------------------------------------------------------------------------------


def csv_upload(text: str, name: str = "dictionary.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_dictionary_upload_shows_row_errors_then_accepts_the_fixed_file(cast, draft):
    url = reverse("dataset_dictionary", args=[draft.slug])
    client = client_as(cast.olga_owner_curator)
    assert "Download the CSV template" in page(client.get(url))
    bad = (
        "name,label,value_type,categories\n"
        "npm1,NPM1,categorical,\nage,Age,number,\nsex,Sex,text,\nsex,Sex again,text,\n"
    )
    html = page(client.post(url, {"file": csv_upload(bad)}))
    assert "Nothing was imported" in html
    assert '<td data-label="Row" class="num">2</td>' in html
    assert "<code>value_type</code>" in html
    assert "Duplicate variable name" in html
    assert not Variable.objects.filter(dataset=draft).exists()
    good = "name,label,value_type,categories\nnpm1,NPM1,categorical,0=wt; 1=mut\nage,Age,integer,\n"
    html = page(client.post(url, {"file": csv_upload(good)}))
    assert "Preview: nothing is written until you apply it" in html
    assert not Variable.objects.filter(dataset=draft).exists()
    token = client.session["dictionary_previews"][str(draft.pk)]["token"]
    response = client.post(url, {"apply": token}, follow=True)
    assert "Data dictionary imported" in page(response)
    assert set(Variable.objects.filter(dataset=draft).values_list("name", flat=True)) == {"npm1", "age"}


def test_dictionary_upload_refused_to_other_curators(cast, published):
    url = reverse("dataset_dictionary", args=[published.slug])
    response = client_as(cast.carl_other_curator).post(url, {"file": csv_upload("name,value_type\nx,text\n")})
    assert response.status_code == 403
    assert not Variable.objects.filter(dataset=published, name="x").exists()


def test_dictionary_template_download(cast):
    response = client_as(cast.olga_owner_curator).get(reverse("dictionary_template", args=["csv"]))
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines()[0].startswith("name,label,description,value_type")


# --- consent editor ---------------------------------------------------------------------------------


def consent_post(**overrides) -> dict:
    data = {"form_version": "v1", "participant_count": "100", "permission": "DUO:0000006"}
    data.update(overrides)
    return data


def test_consent_editor_lists_duo_terms_with_labels(cast, draft):
    html = page(client_as(cast.olga_owner_curator).get(reverse("dataset_consents", args=[draft.slug])))
    assert "DS — disease specific research" in html
    assert "NPU — not for profit organisation use only" in html
    assert "MOR: until" in html
    assert "No consent conditions yet" in html


def test_consent_editor_adds_a_consent_with_modifiers(cast, draft):
    url = reverse("dataset_consents", args=[draft.slug])
    client = client_as(cast.olga_owner_curator)
    response = client.post(
        url,
        consent_post(
            permission="DUO:0000007",
            diseases="MONDO:0018874",
            modifier_NPU="on",
            modifier_TS="on",
            until_TS="2030-12-31",
            modifier_GS="on",
            value_GS="de, at",
        ),
    )
    assert response.status_code == 302
    consent = Consent.objects.get(dataset=draft)
    assert consent.permission_id == "DUO:0000007"
    codes = {modifier.term.short_code: modifier for modifier in consent.modifiers.all()}
    assert set(codes) == {"NPU", "TS", "GS"}
    assert codes["TS"].until == datetime.date(2030, 12, 31) and codes["GS"].value == "DE, AT"
    html = page(client.get(url))
    assert "Research on acute myeloid leukemia only" in html


def test_consent_editor_shows_service_errors_next_to_fields(cast, draft):
    url = reverse("dataset_consents", args=[draft.slug])
    response = client_as(cast.olga_owner_curator).post(url, consent_post(permission="DUO:0000007", modifier_MOR="on"))
    html = page(response)
    assert response.status_code == 200
    assert "Disease-specific research (DS) needs the disease" in html
    assert "MOR (publication moratorium) needs a date." in html
    assert not Consent.objects.filter(dataset=draft).exists()


def test_consent_editor_edits_and_removes(cast, published):
    consent = published.consents.get()
    url = reverse("dataset_consents", args=[published.slug])
    client = client_as(cast.olga_owner_curator)
    html = page(client.get(url, {"edit": consent.pk}))
    assert "Edit consent form v2" in html and 'value="2031-01-31"' in html
    client.post(url, consent_post(consent=consent.pk, form_version="v2", permission="DUO:0000042"))
    revision = published.consents.get(withdrawn_at__isnull=True)  # a published dataset's consent gets a new version
    assert revision.supersedes == consent
    assert revision.permission.short_code == "GRU" and not revision.modifiers.exists()
    response = client.post(
        reverse("dataset_consent_delete", args=[published.slug, revision.pk]), {"confirmed": "yes"}, follow=True
    )
    assert "The last active consent of a published dataset cannot be removed" in page(response)
    revision.refresh_from_db()
    assert revision.withdrawn_at is None


def test_consent_editor_refused_to_other_curators(cast, published):
    url = reverse("dataset_consents", args=[published.slug])
    client = client_as(cast.carl_other_curator)
    assert client.get(url).status_code == 403
    assert client.post(url, consent_post(form_version="v9")).status_code == 403
    consent = published.consents.get()
    delete_url = reverse("dataset_consent_delete", args=[published.slug, consent.pk])
    assert client.post(delete_url, {"confirmed": "yes"}).status_code == 403
    assert Consent.objects.filter(pk=consent.pk).exists()


# --- numbers ----------------------------------------------------------------------------------------


def test_numbers_have_thousands_separators(cast, rf):
    dataset = DatasetFactory(partner=cast.partner_a, title="Big Registry", slug="big", patient_count=12345)
    assert "12,345" in page(client_as(None).get("/"))
    assert "12,345" in page(client_as(None).get(f"/datasets/{dataset.slug}/"))
    assert "12,345" in page(client_as(None).get("/datasets/"))
    request = rf.get("/datasets/?page=600")
    html = render_to_string(
        "includes/pagination.html",
        {"page": Paginator(range(12_345), 20).page(600), "label": "Pages"},
        request=request,
    )
    assert "11,981\N{EN DASH}12,000 of 12,345" in html
