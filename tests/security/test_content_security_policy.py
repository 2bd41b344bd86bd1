"""Every page sends the Content-Security-Policy; the templates contain nothing it would block
(the browser check is tests/browser/test_content_security_policy.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.mark.parametrize("path", ["/", "/datasets/", "/accounts/login/", "/api/docs/", "/no-such-page/"])
def test_pages_send_a_policy_without_unsafe_sources(path):
    policy = directives(Client().get(path))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "unsafe" not in " ".join(policy.values())


def test_api_docs_page_has_no_inline_script_or_style():
    html = Client().get("/api/docs/").content.decode()
    assert "<style" not in html
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    script = Client().get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_have_no_inline_script_handler_or_style(template):
    text = template.read_text(encoding="utf-8")
    assert " style=" not in text and "<style" not in text
    # JSON-LD blocks are data, never executed, and the policy does not apply to them.
    assert re.findall(r"<script(?![^>]*\b(?:src=|type=\"application/ld\+json\"))", text) == []
    assert re.findall(r"\son[a-z]+=", text) == []
