"""The floors of ARCHITECTURE.md hold in templates too: the catalogue's pages render with governance removed,
and no catalogue or chrome template names a governance tag library or URL (governance fills the ``ui`` slots).
The Python imports are checked by import-linter (``make lint``, [tool.importlinter] in pyproject.toml)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.catalogue.factories import DatasetFactory

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE_SIDE = [
    ROOT / "templates" / "base.html",
    *(ROOT / "templates" / "catalogue").rglob("*.html"),
    *(ROOT / "templates" / "includes").rglob("*.html"),
    *(ROOT / "templates" / "registration").rglob("*.html"),
    *(ROOT / "catalogue" / "templatetags").rglob("*.py"),
    *(ROOT / "ui").rglob("*.py"),
]


def test_catalogue_pages_render_with_governance_uninstalled():
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DATABASE_TEST_NAME"}}
    result = subprocess.run(
        [sys.executable, "-m", "tests.boundaries.render_catalogue", "tests.boundaries.settings_without_governance"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    rendered = result.stdout.split()[0::3]
    assert rendered == ["200"] * 9, result.stdout
    rendered = result.stdout.strip().split("\n")
    assert all(line.endswith(" -") for line in rendered), "a governance action rendered without governance"


@pytest.mark.parametrize("path", CATALOGUE_SIDE, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_templates_and_tags_do_not_name_governance(path):
    text = path.read_text(encoding="utf-8")
    for needle in ("governance_ui", "'governance:", '"governance:', "governance."):
        assert needle not in text, f"{path.relative_to(ROOT)} names {needle!r}"


@pytest.mark.django_db
def test_governance_fills_the_dataset_page_slot_when_installed(cast):
    dataset = DatasetFactory(partner=cast.partner_a, slug="aha-aml")
    html = Client().get(reverse("dataset_detail", args=[dataset.slug])).content.decode()
    assert "Request access" in html and "Add to request basket" in html
