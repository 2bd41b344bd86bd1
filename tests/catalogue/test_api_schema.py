"""The OpenAPI schema generates without warnings and documents the catalogue endpoints."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in (
        "/api/v1/datasets/{slug}/publish/",
        "/api/v1/datasets/{dataset_slug}/variables/import/",
        "/api/v1/datasets/{dataset_slug}/consents/{id}/",
        "/api/v1/datasets/{dataset_slug}/distributions/",
        "/api/v1/partners/{slug}/",
        "/api/v1/me/",
        "/api/v1/duo-terms/",
    ):
        assert f"  {path}:" in schema


@pytest.mark.django_db
def test_schema_and_docs_pages_are_served(client):
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
