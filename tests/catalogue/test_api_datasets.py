"""/api/v1/datasets/: every role on every endpoint, drafts hidden, writes for curators of the owning partner only."""

import pytest

from catalogue.models import Dataset, DatasetStatus
from catalogue.search.models import SearchChange
from tests.catalogue.api_helpers import by_role, client_for
from tests.catalogue.factories import ConsentFactory, DatasetFactory, DraftDatasetFactory, VariableFactory

NEW_DATASET = {
    "title": "Heidelberg AML Registry",
    "description": "Adults with newly diagnosed AML.",
    "disease_areas": ["AML"],
    "data_types": ["clinical", "wgs"],
    "patient_count": 350,
    "patient_countries": ["DE"],
    "collection_start": "2012-01-01",
    "collection_end": "2022-12-31",
    "keywords": ["AML", "registry"],
}


@pytest.fixture
def holdings(cast):
    published = DatasetFactory(partner=cast.partner_a, slug="pub-a", diseases=["AML"])
    draft = DraftDatasetFactory(partner=cast.partner_a, slug="draft-a", diseases=["MDS"])
    retired = DatasetFactory(partner=cast.partner_a, slug="retired-a", status=DatasetStatus.RETIRED)
    published_b = DatasetFactory(partner=cast.partner_b, slug="pub-b", diseases=["APL"])
    return published, draft, retired, published_b


def slugs(response):
    return sorted(row["slug"] for row in response.json()["results"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role,expected",
    [
        ("anonymous", ["pub-a", "pub-b"]),
        ("rita_researcher", ["pub-a", "pub-b"]),
        ("olga_owner_curator", ["draft-a", "pub-a", "pub-b"]),
        ("carl_other_curator", ["pub-a", "pub-b"]),
        ("ada_admin", ["draft-a", "pub-a", "pub-b"]),
    ],
)
def test_list_shows_drafts_only_to_their_curators(cast, holdings, role, expected):
    response = client_for(cast, role).get("/api/v1/datasets/")
    assert response.status_code == 200
    assert slugs(response) == expected


@pytest.mark.django_db
def test_list_filters(cast, holdings):
    client = client_for(cast, "anonymous")
    assert slugs(client.get("/api/v1/datasets/?partner=unb")) == ["pub-b"]
    assert slugs(client.get("/api/v1/datasets/?country=DE")) == ["pub-a"]
    assert slugs(client.get("/api/v1/datasets/?disease=AML")) == ["pub-a", "pub-b"]  # APL is an AML subtype
    assert slugs(client.get("/api/v1/datasets/?disease=APL")) == ["pub-b"]
    assert slugs(client.get("/api/v1/datasets/?status=draft")) == []
    assert slugs(client.get("/api/v1/datasets/?status=retired")) == []
    assert client.get("/api/v1/datasets/?country=ZZ").status_code == 400
    olga = client_for(cast, "olga_owner_curator")
    assert slugs(olga.get("/api/v1/datasets/?status=retired")) == ["retired-a"]
    assert slugs(olga.get("/api/v1/datasets/?status=draft")) == ["draft-a"]


@pytest.mark.django_db
def test_list_filter_by_data_type(cast, holdings):
    from catalogue.models import DataType

    holdings[0].data_types.set([DataType.objects.get(code="wgs")])
    assert slugs(client_for(cast, "anonymous").get("/api/v1/datasets/?data_type=wgs")) == ["pub-a"]


@pytest.mark.django_db
def test_list_query_count_is_constant(cast, django_assert_max_num_queries):
    for _n in range(25):
        VariableFactory(dataset=DatasetFactory(partner=cast.partner_a, diseases=["AML", "CLL"]))
    with django_assert_max_num_queries(6):
        response = client_for(cast, "olga_owner_curator").get("/api/v1/datasets/?page_size=25")
    assert len(response.json()["results"]) == 25
    assert response.json()["results"][0]["variable_count"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(404, 404, 200, 404, 200))
def test_draft_detail_is_a_404_for_those_who_may_not_see_it(cast, holdings, role, expected):
    assert client_for(cast, role).get("/api/v1/datasets/draft-a/").status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(404, 404, 200, 404, 200))
def test_retired_detail_is_visible_to_its_curators_only(cast, holdings, role, expected):
    assert client_for(cast, role).get("/api/v1/datasets/retired-a/").status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(200, 200, 200, 200, 200))
def test_published_detail_shows_consents_and_distributions(cast, holdings, role, expected):
    ConsentFactory(dataset=holdings[0], form_version="v1")
    response = client_for(cast, role).get("/api/v1/datasets/pub-a/")
    assert response.status_code == expected
    body = response.json()
    assert body["partner"]["slug"] == "aha"
    assert body["consents"][0]["plain_words"] == "Health/medical/biomedical research"
    assert body["distributions"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(403, 403, 201, 403, 201))
def test_create_for_partner_a(cast, role, expected):
    response = client_for(cast, role).post("/api/v1/datasets/", {**NEW_DATASET, "partner": "aha"}, format="json")
    assert response.status_code == expected, response.json()
    if expected == 201:
        body = response.json()
        assert (body["slug"], body["status"], body["disease_areas"]) == ("heidelberg-aml-registry", "draft", ["AML"])
        assert Dataset.objects.get().partner == cast.partner_a
    else:
        assert not Dataset.objects.exists()


@pytest.mark.django_db
def test_create_messages_for_refusals(cast):
    anonymous = client_for(cast, "anonymous").post("/api/v1/datasets/", {**NEW_DATASET, "partner": "aha"})
    assert anonymous.json()["detail"] == "Authentication credentials were not provided."
    carl = client_for(cast, "carl_other_curator").post("/api/v1/datasets/", {**NEW_DATASET, "partner": "aha"})
    assert carl.json()["detail"] == "Only curators of Academic Hospital A can register or change its datasets."


@pytest.mark.django_db
def test_create_validation_errors_per_field(cast):
    olga = client_for(cast, "olga_owner_curator")
    response = olga.post(
        "/api/v1/datasets/",
        {"partner": "nowhere", "title": "", "patient_count": -1, "disease_areas": ["XYZ"]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "partner": ["Object with slug=nowhere does not exist."],
        "title": ["This field may not be blank."],
        "disease_areas": ["Object with code=XYZ does not exist."],
        "patient_count": ["Ensure this value is greater than or equal to 0."],
    }
    response = olga.post(
        "/api/v1/datasets/",
        {**NEW_DATASET, "partner": "aha", "collection_end": "2000-01-01", "patient_countries": ["XX"]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "collection_end": ["The collection period must not end before it starts."],
        "patient_countries": ["Unknown country code(s): XX."],
    }
    assert not Dataset.objects.exists()
    assert not SearchChange.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "slug,role,expected",
    [
        *[("pub-a", role, code) for role, code in by_role(403, 403, 200, 403, 200)],
        *[("draft-a", role, code) for role, code in by_role(403, 404, 200, 404, 200)],
    ],
)
def test_update(cast, holdings, slug, role, expected):
    response = client_for(cast, role).patch(f"/api/v1/datasets/{slug}/", {"title": "Renamed"}, format="json")
    assert response.status_code == expected
    assert (Dataset.objects.get(slug=slug).title == "Renamed") == (expected == 200)


@pytest.mark.django_db
def test_update_cannot_move_a_dataset_to_another_partner(cast, holdings):
    response = client_for(cast, "olga_owner_curator").patch(
        "/api/v1/datasets/draft-a/", {"partner": "unb", "patient_count": 10}, format="json"
    )
    assert response.status_code == 200
    dataset = Dataset.objects.get(slug="draft-a")
    assert (dataset.partner, dataset.patient_count) == (cast.partner_a, 10)


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(403, 404, 200, 404, 200))
def test_publish(cast, holdings, partner_a_committee, role, expected):
    ConsentFactory(dataset=holdings[1])
    response = client_for(cast, role).post("/api/v1/datasets/draft-a/publish/")
    assert response.status_code == expected
    assert (Dataset.objects.get(slug="draft-a").status == "published") == (expected == 200)


@pytest.mark.django_db
def test_publish_without_consent_and_twice(cast, holdings):
    olga = client_for(cast, "olga_owner_curator")
    response = olga.post("/api/v1/datasets/draft-a/publish/")
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "consents": ["State at least one consent (data-use conditions) before publishing."]
    }
    response = olga.post("/api/v1/datasets/pub-a/publish/")
    assert response.json()["fields"] == {"status": ["Only a draft can be published; this dataset is published."]}


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(403, 403, 200, 403, 200))
def test_retire(cast, holdings, role, expected):
    response = client_for(cast, role).post("/api/v1/datasets/pub-a/retire/")
    assert response.status_code == expected
    assert (Dataset.objects.get(slug="pub-a").status == "retired") == (expected == 200)
    if expected == 200:
        assert client_for(cast, "anonymous").get("/api/v1/datasets/pub-a/").status_code == 404


@pytest.mark.django_db
def test_put_and_delete_are_not_offered(cast, holdings):
    olga = client_for(cast, "olga_owner_curator")
    assert olga.put("/api/v1/datasets/pub-a/", {}, format="json").status_code == 405
    assert olga.delete("/api/v1/datasets/pub-a/").status_code == 405
