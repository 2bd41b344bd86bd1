"""With USE_THOUSAND_SEPARATOR a number rendered by a template reads "1,234" (English) or "1.234" (German): right
for people, wrong inside markup. A primary key in a form value or an element id must go through ``|unlocalize``,
or the form posts "1,234" and ``#job-1,234`` selects nothing once the table passes a thousand rows."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template
from django.utils import translation

TEMPLATES = Path(settings.BASE_DIR) / "templates"
ATTRIBUTE = re.compile(r'[\w-]+="[^"]*"')
VARIABLE = re.compile(r"\{\{\s*([^}|\s]+)\s*((?:\|[^}]*)?)\}\}")
TAG = re.compile(r"\{%.*?%\}")  # tags may hold quotes of their own ({% translate "…" %}): not attribute ends


# Names ending in "_id" that hold text, not numbers: a form field's HTML id, a chart's element id.
TEXT_IDS = {"auto_id", "chart_id"}


def _is_key(expression: str) -> bool:
    last = expression.rsplit(".", 1)[-1]
    return last in {"pk", "id"} or (last.endswith("_id") and last not in TEXT_IDS)


def test_keys_inside_attributes_are_unlocalized() -> None:
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        markup = TAG.sub("", path.read_text(encoding="utf-8"))
        for attribute in ATTRIBUTE.findall(markup):
            for expression, filters in VARIABLE.findall(attribute):
                if _is_key(expression) and "unlocalize" not in filters and "stringformat" not in filters:
                    offenders.append(f"{path.relative_to(TEMPLATES)}: {attribute}")
    assert offenders == [], "\n".join(offenders)


def test_unlocalize_keeps_a_key_whole_in_every_language() -> None:
    template = Template('{% load l10n %}<input value="{{ pk|unlocalize }}"> {{ pk }}')
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            assert template.render(Context({"pk": 12345})).startswith('<input value="12345">'), code
