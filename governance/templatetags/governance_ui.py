"""Governance entries of the main navigation by role, and audit events in plain words."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.urls import reverse

from audit.models import AuditEvent
from governance.models import ItemState
from governance.selectors import dacs_of, notifications_for
from governance.views.requests import BASKET_KEY

register = template.Library()


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str


@register.simple_tag(takes_context=True)
def governance_nav(context: template.Context) -> list[NavLink]:
    """Links by role: "My requests" for every signed-in user; the review queue and dashboard for committee
    members and admins; the request basket for anyone (signed in or not) who has put datasets in it."""
    user = context["user"]
    request = context.get("request")
    links = []
    basket_size = len(request.session.get(BASKET_KEY, [])) if request is not None else 0
    if basket_size:
        links.append(NavLink(f"Basket ({basket_size})", reverse("governance:basket")))
    if not user.is_authenticated:
        return links
    links.append(NavLink("My requests", reverse("governance:my_requests")))
    unread = notifications_for(user).filter(read_at__isnull=True).count()
    links.append(NavLink(f"Inbox ({unread})" if unread else "Inbox", reverse("governance:inbox")))
    if user.is_superuser or dacs_of(user).exists():  # type: ignore[attr-defined]
        links.append(NavLink("Review queue", reverse("governance:review_queue")))
        links.append(NavLink("Dashboard", reverse("governance:dashboard")))
    return links


STATE_LABELS = dict(ItemState.choices)
ACTIONS = {
    "request.create": "drafted the request",
    "request.update": "edited the request",
    "request.delete": "deleted the draft",
    "item.submit": "submitted",
    "item.start_review": "review started for",
    "item.request_changes": "asked for changes to",
    "item.resubmit": "resubmitted",
    "item.approve": "approved",
    "item.reject": "rejected",
    "item.withdraw": "withdrew",
    "item.sign_agreement": "agreement complete for",
    "item.release": "released",
    "item.expire": "access expired for",
    "item.revoke": "revoked access to",
    "vote.cast": "voted",
    "comment.add": "commented",
    "agreement.create": "opened the data-sharing agreement",
    "agreement.sign": "signed the data-sharing agreement",
    "download": "downloaded a file",
}
VOTE_WORDS = {"approve": "to approve", "reject": "to reject", "changes": "for changes"}


@register.simple_tag
def event_sentence(event: AuditEvent, datasets_by_id: dict, show_votes: bool) -> str:
    """One timeline line, e.g. "dana approved “AHA AML cohort”"; vote decisions only for the committee."""
    who = event.actor_username or "The system"
    words = ACTIONS.get(event.action, event.action.replace(".", " ").replace("_", " "))
    after = event.after or {}
    dataset = datasets_by_id.get(after.get("dataset_id"))
    if event.action == "vote.cast":
        if not show_votes:
            return "A committee member voted"
        words = f"voted {VOTE_WORDS.get(after.get('decision'), after.get('decision', ''))}"
    if event.action == "agreement.sign" and after.get("side"):
        words += f" ({after['side']} side)"
    sentence = f"{who} {words}"
    if dataset is not None and event.action.startswith("item."):
        sentence += f" “{dataset.title}”"
    if event.action == "item.release" and after.get("valid_until"):
        sentence += f", access until {after['valid_until']}"
    return sentence


@register.filter
def state_label(state: str) -> str:
    """The label of an item state or of a request's derived state ("closed" when all items are closed)."""
    return STATE_LABELS.get(state, "Closed" if state == "closed" else state.replace("_", " ").capitalize())
