"""The official DCAT-AP 3.0.1 SHACL shapes, read from ../shared (never copied into the repository)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from rdflib import Graph

SHAPES_DIR = Path(os.environ.get("DCAT_AP_SHAPES_DIR", settings.BASE_DIR.parent / "shared/data/dcat-ap-3.0.1"))


@pytest.fixture(scope="session")
def dcat_ap_shapes() -> Graph:
    """shapes.ttl (mandatory properties and cardinalities) and range.ttl (classes of values), as SOURCE.md advises."""
    if not (SHAPES_DIR / "shapes.ttl").exists():
        pytest.fail(f"The DCAT-AP 3.0.1 shapes are not at {SHAPES_DIR}; set DCAT_AP_SHAPES_DIR to their folder.")
    shapes = Graph()
    for name in ("shapes.ttl", "range.ttl"):
        shapes.parse(SHAPES_DIR / name, format="turtle")
    return shapes
