"""Template helpers shared by every page: safe URL lookup for the navigation, query-string edits, role flags."""

from __future__ import annotations

from django import forms, template
from django.http import QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe

from catalogue.countries import COUNTRIES
from catalogue.selectors import partners_curated_by

register = template.Library()


@register.simple_tag
def url_if_exists(name: str, *args: object) -> str:
    """``reverse(name)``, or an empty string when another app has not wired that page (yet)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.simple_tag(takes_context=True)
def nav_current(context: template.Context, url: str, exact: bool = False) -> str:
    """``aria-current="page"`` for the navigation link whose section the current page is in."""
    request = context.get("request")
    if not request or not url:
        return ""
    path = request.path
    if path == url or (not exact and url != "/" and path.startswith(url)):
        return mark_safe('aria-current="page"')  # a constant attribute, nothing user-supplied
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


@register.simple_tag
def user_curates_any(user: object) -> bool:
    """Whether to show the curator's "My datasets" link (one query)."""
    return partners_curated_by(user).exists()  # type: ignore[arg-type]
