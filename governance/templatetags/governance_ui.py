"""Governance entries of the main navigation, by role."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str


def _link(label: str, name: str) -> list[NavLink]:
    try:
        return [NavLink(label, reverse(name))]
    except NoReverseMatch:
        return []


@register.simple_tag
def governance_nav(user: object) -> list[NavLink]:
    """ "My requests" for every signed-in user; the review queue and dashboard for DAC members and admins."""
    links = _link("My requests", "governance:my_requests")
    links += _link("Review queue", "governance:review_queue")
    links += _link("Dashboard", "governance:dashboard")
    return links
