"""Showing catalogue text that may exist in several languages (``catalogue.translations``)."""

from __future__ import annotations

from django import template
from django.db.models import Model
from django.utils.translation import get_language

from catalogue.translations import texts_for

register = template.Library()


@register.filter
def texts(instance: Model, field: str) -> list[tuple[str, str]]:
    """``instance.<field>`` and ``instance.<field>_translations`` as (language code, text) pairs, the one in
    the active language first when there is one, else the main (English) text first."""
    return texts_for(get_language(), getattr(instance, field), getattr(instance, f"{field}_translations", None))
