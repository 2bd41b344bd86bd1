"""The curators' distributions page: add a file or an access URL, edit, remove after a confirmation; the same
services as the API, so the same validation, audit and curator check."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from catalogue.models import Distribution, DistributionKind
from tests.catalogue.factories import DatasetFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]


@pytest.fixture
def dataset(cast):
    return DatasetFactory(partner=cast.partner_a, title="Registry", slug="registry")


def client_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_add_a_file_and_an_access_url(cast, dataset):
    url = reverse("dataset_distributions", args=[dataset.slug])
    client = client_as(cast.olga_owner_curator)
    upload = SimpleUploadedFile("extract.csv", b"id,npm1\n1,mutated\n", content_type="text/csv")
    response = client.post(url, {"add": "file", "file-title": "Extract", "file-file": upload}, follow=True)
    assert "“Extract” is added." in response.content.decode()
    held = Distribution.objects.get(title="Extract")
    assert (held.kind, held.byte_size, held.media_type) == (DistributionKind.FILE, 18, "text/csv")
    assert len(held.checksum_sha256) == 64

    response = client.post(
        url, {"add": "url", "url-title": "EGA", "url-access_url": "https://ega-archive.org/EGAD1"}, follow=True
    )
    assert "“EGA” is added." in response.content.decode()
    assert AuditEvent.objects.filter(action="distribution.create").count() == 2


def test_htmx_upload_is_told_where_to_go(cast, dataset):
    upload = SimpleUploadedFile("extract.csv", b"id\n1\n", content_type="text/csv")
    response = client_as(cast.olga_owner_curator).post(
        reverse("dataset_distributions", args=[dataset.slug]),
        {"add": "file", "file-title": "Extract", "file-file": upload},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("dataset_distributions", args=[dataset.slug])


def test_errors_are_shown_next_to_the_field(cast, dataset, settings):
    settings.HARMONY_MAX_UPLOAD_BYTES = 4
    url = reverse("dataset_distributions", args=[dataset.slug])
    client = client_as(cast.olga_owner_curator)
    upload = SimpleUploadedFile("extract.csv", b"id\n1\n2\n", content_type="text/csv")
    html = client.post(url, {"add": "file", "file-title": "Extract", "file-file": upload}).content.decode()
    assert "The file is 0.0 MB; the limit is 0 MB." in html
    html = client.post(url, {"add": "url", "url-title": "EGA", "url-access_url": "not a url"}).content.decode()
    assert 'id="id_url-access_url_error"' in html
    assert not Distribution.objects.exists()


def test_edit_an_access_url_and_a_files_title(cast, dataset):
    link = Distribution.objects.create(dataset=dataset, title="EGA", kind="url", access_url="https://ega-archive.org/1")
    client = client_as(cast.olga_owner_curator)
    edit = reverse("dataset_distribution_edit", args=[dataset.slug, link.pk])
    assert 'value="https://ega-archive.org/1"' in client.get(edit).content.decode()
    client.post(edit, {"title": "EGA archive", "access_url": "https://ega-archive.org/2", "byte_size": "10"})
    link.refresh_from_db()
    assert (link.title, link.access_url, link.byte_size) == ("EGA archive", "https://ega-archive.org/2", 10)
    event = AuditEvent.objects.get(action="distribution.update")
    assert event.before["title"] == "EGA" and event.after["title"] == "EGA archive"


def test_remove_asks_first(cast, dataset):
    link = Distribution.objects.create(dataset=dataset, title="EGA", kind="url", access_url="https://ega-archive.org/1")
    delete = reverse("dataset_distribution_delete", args=[dataset.slug, link.pk])
    client = client_as(cast.olga_owner_curator)
    html = client.get(delete).content.decode()
    assert "Remove “EGA”?" in html and "no longer listed" in html
    client.post(delete)
    assert Distribution.objects.filter(pk=link.pk).exists()
    client.post(delete, {"confirmed": "yes"})
    assert not Distribution.objects.filter(pk=link.pk).exists()


@pytest.mark.parametrize("who", ["carl_other_curator", "rita_researcher"])
def test_refused_to_everyone_but_the_partners_curators(cast, dataset, who):
    link = Distribution.objects.create(dataset=dataset, title="EGA", kind="url", access_url="https://ega-archive.org/1")
    client = client_as(getattr(cast, who))
    pages = [
        reverse("dataset_distributions", args=[dataset.slug]),
        reverse("dataset_distribution_edit", args=[dataset.slug, link.pk]),
        reverse("dataset_distribution_delete", args=[dataset.slug, link.pk]),
    ]
    for page in pages:
        assert client.get(page).status_code == 403
        assert client.post(page, {"confirmed": "yes", "title": "x", "access_url": "https://x.org"}).status_code == 403
    assert Distribution.objects.filter(pk=link.pk, title="EGA").exists()
