"""Horizontal bar charts drawn server-side as inline SVG: no JavaScript, no charting library, no CDN.

Each chart is a ``<figure>`` whose SVG has ``role="img"`` and a text alternative, followed by
the same figures as a table (inside ``<details>``) for screen readers and copy-paste.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.text import slugify

register = template.Library()

ROW_HEIGHT = 30
LABEL_WIDTH = 220
VALUE_WIDTH = 80
CHART_WIDTH = 640


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    y: int
    width: float
    text: str
    label_text: str


def _format(value: float, unit: str) -> str:
    number = intcomma(round(value, 1) if isinstance(value, float) and not value.is_integer() else int(value))
    return f"{number}{unit}"


@register.inclusion_tag("includes/bar_chart.html")
def bar_chart(
    rows: Iterable[Sequence[object]],
    *,
    title: str,
    value_label: str,
    unit: str = "",
    chart_id: str = "",
    alt: bool = False,
) -> dict[str, object]:
    """``rows`` are ``(label, value)`` pairs, drawn in the given order; ``unit`` is appended to values (e.g. " d")."""
    pairs = [(str(label), float(value or 0)) for label, value, *_ in rows]
    largest = max((value for _, value in pairs), default=0) or 1
    plot = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = [
        Bar(
            label=label,
            value=value,
            y=index * ROW_HEIGHT,
            width=max(plot * value / largest, 1 if value else 0),
            text=_format(value, unit),
            label_text=label if len(label) <= 30 else label[:29] + "…",
        )
        for index, (label, value) in enumerate(pairs)
    ]
    summary = "; ".join(f"{bar.label}: {bar.text}" for bar in bars)
    return {
        "title": title,
        "value_label": value_label,
        "bars": bars,
        "height": max(len(bars), 1) * ROW_HEIGHT,
        "width": CHART_WIDTH,
        "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
        "value_x": CHART_WIDTH - VALUE_WIDTH + 6,
        "summary": f"{title}. {summary}" if bars else f"{title}: no data yet.",
        "chart_id": chart_id or f"chart-{slugify(title)}",
        "alt": alt,
    }
