"""Template tags of the site chrome: the registered navigation, the current-page marker, page slots."""

from __future__ import annotations

from django import template
from django.template.loader import get_template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from ui import registry

register = template.Library()


@register.simple_tag(takes_context=True)
def ui_nav_links(context: template.Context) -> list[registry.NavLink]:
    """The main navigation's links for the current request (empty when rendered without a request)."""
    request = context.get("request")
    return registry.nav_links(request) if request is not None else []


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
def ui_slot(context: template.Context, slot: str) -> SafeString:
    """Every fragment registered for ``slot``, each rendered with the page's context (escaped as usual)."""
    request = context.get("request")
    flat = context.flatten()
    return format_html_join(
        "", "{}", ((get_template(name).render(flat, request),) for name in registry.slot_templates(slot))
    )
