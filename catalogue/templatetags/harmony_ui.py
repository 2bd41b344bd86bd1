"""Template helpers of the catalogue pages: safe URL lookup, query-string edits, form field kinds, units."""

from __future__ import annotations

from django import forms, template
from django.http import QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from catalogue.countries import COUNTRIES
from catalogue.units import readable_unit

register = template.Library()


@register.simple_tag
def url_if_exists(name: str, *args: object) -> str:
    """``reverse(name)``, or an empty string when another app has not wired that page (yet)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: object) -> str:
    """The current query string with ``changes`` applied (``None`` or ``""`` removes a key); page resets to 1
    unless it is one of the changes, so a new filter or sort never lands on an empty page."""
    request = context["request"]
    params: QueryDict = request.GET.copy()
    if "page" not in changes:
        params.pop("page", None)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def country_name(code: str) -> str:
    return COUNTRIES.get(code, code)


@register.filter
def field_type(bound_field: object) -> str:
    """The widget's input type (``checkbox``, ``select`` …), for templates that lay fields out by kind."""
    widget = bound_field.field.widget  # type: ignore[attr-defined]
    if isinstance(widget, forms.RadioSelect):
        return "radioselect"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxselectmultiple"
    return getattr(widget, "input_type", None) or widget.__class__.__name__.lower()


@register.filter
def unit_name(code: str) -> SafeString | str:
    """The unit's readable name, with the raw UCUM code kept in the ``title`` (hover, copy, screen readers);
    an empty string for no unit, so ``|default:"—"`` still applies."""
    name = readable_unit(code)
    if not name:
        return ""
    return format_html('<span class="unit" title="{}">{}</span>', code.strip(), name)
