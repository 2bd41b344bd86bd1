"""A dictionary upload is previewed first: first rows, columns, vocabularies, what is created, updated and
removed; only the previewed file, from the same session, is then applied."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from catalogue.models import Variable
from tests.catalogue.factories import DatasetFactory, VariableFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]

FILE = (
    "name,label,value_type,unit,concepts,notes\n"
    "npm1,NPM1 status,text,,,x\n"
    "age,Age at diagnosis,integer,a,,y\n"
    "wbc,White cells,decimal,10*9/L,LOINC:6690-2; HGNC:FLT3,z\n"
)


@pytest.fixture
def dataset(cast):
    dataset = DatasetFactory(partner=cast.partner_a, slug="registry")
    VariableFactory(dataset=dataset, name="npm1", label="NPM1 status", value_type="text", position=1)
    VariableFactory(dataset=dataset, name="age", label="Age", value_type="integer", position=2)
    VariableFactory(dataset=dataset, name="old_score", value_type="text", position=3)
    return dataset


def curator(cast) -> Client:
    client = Client()
    client.force_login(cast.olga_owner_curator)
    return client


def upload(text: str = FILE) -> SimpleUploadedFile:
    return SimpleUploadedFile("dictionary.csv", text.encode(), content_type="text/csv")


def test_preview_then_apply(cast, dataset, tmp_path):
    url = reverse("dataset_dictionary", args=[dataset.slug])
    client = curator(cast)
    html = client.post(url, {"file": upload()}).content.decode()
    assert "3 variables in the file: 1 to create, 1 to update, 1 unchanged, 1 to remove." in html
    assert '<code>notes</code> <span class="badge warn">ignored</span>' in html
    assert "HGNC (1), LOINC (1)" in html
    assert '<dd class="removed"><code>old_score</code>' in html
    assert "Apply the import (removes 1 variable)" in html
    assert "<code>wbc</code>" in html and '<span class="tag">LOINC:6690-2</span>' in html
    assert sorted(Variable.objects.filter(dataset=dataset).values_list("name", flat=True)) == [
        "age",
        "npm1",
        "old_score",
    ]
    assert list((tmp_path / "jobs" / "dictionary-previews").iterdir())  # the file waits, privately

    token = client.session["dictionary_previews"][str(dataset.pk)]["token"]
    response = client.post(url, {"apply": token}, follow=True)
    assert "Data dictionary imported. Created 1, updated 1, unchanged 1, removed 1." in response.content.decode()
    assert sorted(Variable.objects.filter(dataset=dataset).values_list("name", flat=True)) == ["age", "npm1", "wbc"]
    assert not list((tmp_path / "jobs" / "dictionary-previews").iterdir())  # and is gone once applied

    again = client.post(url, {"apply": token}, follow=True).content.decode()  # applied once only
    assert "That preview is no longer pending: upload the file again." in again


def test_errors_show_instead_of_a_preview(cast, dataset):
    html = (
        curator(cast)
        .post(reverse("dataset_dictionary", args=[dataset.slug]), {"file": upload("name,value_type\nx,number\n")})
        .content.decode()
    )
    assert "Nothing was imported" in html and "Preview" not in html


def test_only_the_session_that_previewed_can_apply(cast, dataset):
    url = reverse("dataset_dictionary", args=[dataset.slug])
    client = curator(cast)
    client.post(url, {"file": upload()})
    token = client.session["dictionary_previews"][str(dataset.pk)]["token"]
    other_session = curator(cast)
    html = other_session.post(url, {"apply": token}, follow=True).content.decode()
    assert "That preview is no longer pending" in html
    assert not Variable.objects.filter(dataset=dataset, name="wbc").exists()
    other_curator = Client()
    other_curator.force_login(cast.carl_other_curator)
    assert other_curator.post(url, {"apply": token}).status_code == 403
