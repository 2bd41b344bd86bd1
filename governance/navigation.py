"""Governance's entries of the main navigation and its fragments in catalogue pages (registered with ``ui`` in
``GovernanceConfig.ready``): the catalogue's templates never name a governance URL or tag."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from governance.selectors import dacs_of, notifications_for
from governance.views.requests import BASKET_KEY
from ui.registry import NavLink, register_nav, register_slot_template


def governance_nav(request: HttpRequest) -> Iterator[NavLink]:
    """Links by role: the request basket for anyone (signed in or not) who has put datasets in it; "My requests"
    and the inbox for every signed-in user; the review queue and dashboard for committee members and admins;
    statistics for admins."""
    user = request.user
    basket_size = len(request.session.get(BASKET_KEY, []))
    if basket_size:
        yield NavLink(
            _("Basket (%(basket_count)s)") % {"basket_count": basket_size}, reverse("governance:basket"), order=50
        )
    if not user.is_authenticated:
        return
    yield NavLink(_("My requests"), reverse("governance:my_requests"), order=51)
    unread = notifications_for(user).filter(read_at__isnull=True).count()
    yield NavLink(
        _("Inbox (%(unread)s)") % {"unread": unread} if unread else _("Inbox"), reverse("governance:inbox"), order=52
    )
    if user.is_superuser or dacs_of(user).exists():
        yield NavLink(_("Review queue"), reverse("governance:review_queue"), order=53)
        yield NavLink(_("Dashboard"), reverse("governance:dashboard"), order=54)
    if user.is_superuser:
        yield NavLink(_("Statistics"), reverse("governance:statistics"), order=90)


def register() -> None:
    """Fill the navigation and the catalogue pages' slots."""
    register_nav(governance_nav)
    register_slot_template("dataset_access", "governance/slots/dataset_access.html")
    register_slot_template("curator_actions", "governance/slots/curator_actions.html")
    register_slot_template("dataset_manage_links", "governance/slots/dataset_manage_links.html")
