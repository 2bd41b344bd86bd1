"""Horizontal bar charts rendered server-side as HTML: no JavaScript, no charting library, no CDN.

A chart is a ``<figure>`` holding a table (label, value) whose value cells also draw the bar with CSS,
so the same markup is the chart for sighted users and a plain data table for screen readers, and it
reflows on a phone (the label moves above its bar) where an SVG would only shrink.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.text import slugify

register = template.Library()


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    percent: float  # of the largest value, for the bar's width
    text: str


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
    """``rows`` are ``(label, value)`` pairs, or ``(label, value, note)`` with a note shown after the value,
    drawn in the given order; ``unit`` is appended to values (e.g. " d")."""
    triples = [(str(label), float(value or 0), str(note[0]) if note else "") for label, value, *note in rows]
    largest = max((value for _, value, _ in triples), default=0) or 1
    bars = [
        Bar(
            label=label,
            value=value,
            percent=round(100 * value / largest, 1),
            text=_format(value, unit) + (f" ({note})" if note else ""),
        )
        for label, value, note in triples
    ]
    return {
        "title": title,
        "value_label": value_label,
        "bars": bars,
        "chart_id": chart_id or f"chart-{slugify(title)}",
        "alt": alt,
    }
