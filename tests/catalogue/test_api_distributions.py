"""/api/v1/datasets/{slug}/distributions/: metadata only (files are never served here), writes by owning curators."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalogue.models import Distribution
from tests.catalogue.api_helpers import by_role, client_for
from tests.catalogue.factories import DatasetFactory, DraftDatasetFactory

pytestmark = pytest.mark.usefixtures("private_storage")


@pytest.fixture
def datasets(cast):
    published = DatasetFactory(partner=cast.partner_a, slug="pub-a")
    draft = DraftDatasetFactory(partner=cast.partner_a, slug="draft-a")
    url = Distribution.objects.create(
        dataset=published, title="EGA", kind="url", access_url="https://ega-archive.org/datasets/EGAD00001"
    )
    return published, draft, url


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(200, 200, 200, 200, 200))
def test_list(cast, datasets, role, expected):
    response = client_for(cast, role).get("/api/v1/datasets/pub-a/distributions/")
    assert response.status_code == expected
    [row] = response.json()
    assert (row["kind"], row["has_file"], row["access_url"]) == (
        "url",
        False,
        "https://ega-archive.org/datasets/EGAD00001",
    )
    assert "file" not in row


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(404, 404, 200, 404, 200))
def test_draft_distributions_hidden(cast, datasets, role, expected):
    assert client_for(cast, role).get("/api/v1/datasets/draft-a/distributions/").status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(403, 403, 201, 403, 201))
def test_upload_a_file(cast, datasets, role, expected):
    response = client_for(cast, role).post(
        "/api/v1/datasets/pub-a/distributions/",
        {"title": "Synthetic extract", "file": SimpleUploadedFile("x.csv", b"id\n1\n", content_type="text/csv")},
        format="multipart",
    )
    assert response.status_code == expected
    if expected == 201:
        body = response.json()
        assert (body["kind"], body["has_file"], body["byte_size"], body["media_type"]) == ("file", True, 5, "text/csv")
        assert "file" not in body
    assert Distribution.objects.filter(title="Synthetic extract").exists() == (expected == 201)


@pytest.mark.django_db
def test_url_distribution_and_validation(cast, datasets, settings):
    olga = client_for(cast, "olga_owner_curator")
    url = "/api/v1/datasets/draft-a/distributions/"
    created = olga.post(url, {"title": "Portal", "access_url": "https://example.org/x", "byte_size": 10}, format="json")
    assert created.status_code == 201
    neither = olga.post(url, {"title": "Nothing"}, format="json")
    assert (neither.status_code, neither.json()["fields"]) == (
        400,
        {"file": ["Give either a file or an access URL, not both or neither."]},
    )
    negative = olga.post(url, {"title": "Neg", "access_url": "https://example.org/y", "byte_size": -1}, format="json")
    assert negative.status_code == 400
    assert negative.json()["fields"] == {"byte_size": ["Ensure this value is greater than or equal to 0."]}
    settings.HARMONY_MAX_UPLOAD_BYTES = 4
    big = olga.post(url, {"title": "Big", "file": SimpleUploadedFile("b.csv", b"12345")}, format="multipart")
    assert big.status_code == 400
    assert big.json()["fields"] == {"file": ["The file is 0.0 MB; the limit is 0 MB."]}
    assert list(Distribution.objects.filter(dataset__slug="draft-a").values_list("title", flat=True)) == ["Portal"]


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(403, 403, 204, 403, 204))
def test_delete(cast, datasets, role, expected):
    distribution = datasets[2]
    response = client_for(cast, role).delete(f"/api/v1/datasets/pub-a/distributions/{distribution.pk}/")
    assert response.status_code == expected
    assert Distribution.objects.filter(pk=distribution.pk).exists() == (expected != 204)


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(403, 403, 200, 403, 200))
def test_patch_an_access_url(cast, datasets, role, expected):
    _, _, url = datasets
    response = client_for(cast, role).patch(
        f"/api/v1/datasets/pub-a/distributions/{url.pk}/",
        {"title": "EGA archive", "access_url": "https://ega-archive.org/datasets/EGAD00002", "byte_size": 1024},
        format="json",
    )
    assert response.status_code == expected
    url.refresh_from_db()
    if expected == 200:
        assert response.json()["access_url"] == "https://ega-archive.org/datasets/EGAD00002"
        assert (url.title, url.byte_size) == ("EGA archive", 1024)
    else:
        assert url.title == "EGA"


@pytest.mark.django_db
def test_patch_refuses_a_held_files_bytes_and_a_bad_url(cast, datasets):
    client = client_for(cast, "olga_owner_curator")
    created = client.post(
        "/api/v1/datasets/pub-a/distributions/",
        {"title": "Extract", "file": SimpleUploadedFile("x.csv", b"id\n1\n", content_type="text/csv")},
        format="multipart",
    ).json()
    response = client.patch(f"/api/v1/datasets/pub-a/distributions/{created['id']}/", {"byte_size": 99}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["byte_size"] == [
        "A held file's bytes cannot be changed: add a new distribution to replace the file."
    ]
    _, _, url = datasets
    response = client.patch(
        f"/api/v1/datasets/pub-a/distributions/{url.pk}/", {"access_url": "not a url"}, format="json"
    )
    assert response.status_code == 400 and "access_url" in response.json()["fields"]
