"""Audit events and item states in plain words, and the policy's decisions for templates
(the navigation is in governance/navigation.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from governance import policy
from governance.models import ItemState

register = template.Library()

# The predicates a template may ask about (each takes the user first, then the object).
TEMPLATE_RULES = {
    name: getattr(policy, name)
    for name in (
        "can_view_request",
        "can_edit_request",
        "can_submit",
        "can_withdraw",
        "can_vote",
        "can_request_changes",
        "can_read_votes",
        "can_read_committee_comments",
        "can_release",
        "can_revoke",
        "can_administer",
        "is_recused",
    )
}


@register.simple_tag(takes_context=True)
def decide(context: template.Context, rule: str, target: Any) -> policy.Decision:
    """The policy's decision on ``target`` for the signed-in user, e.g.
    ``{% decide "can_read_votes" item as votes %}{% if votes %}…{% else %}{{ votes.reason }}{% endif %}``.
    Templates read decisions; they never restate a rule."""
    return TEMPLATE_RULES[rule](context["user"], target)


STATE_LABELS = dict(ItemState.choices)
ACTIONS = {
    "request.create": "drafted the request",
    "request.update": "edited the request",
    "request.delete": "deleted the draft",
    "item.submit": "submitted",
    "item.start_review": "review started for",
    "item.request_changes": "asked for changes to",
    "item.resubmit": "resubmitted",
    "item.reopen": "re-opened (the consent changed)",
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
    return STATE_LABELS.get(state, _("Closed") if state == "closed" else state.replace("_", " ").capitalize())
