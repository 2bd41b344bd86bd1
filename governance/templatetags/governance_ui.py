"""Audit events and item states in plain words, and the policy's decisions for templates
(the navigation is in governance/navigation.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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

# Timeline sentences, whole and with named placeholders, so that each language orders the words its own way;
# looked up when the page renders, so they read in the reader's language. ``%(actor)s`` is the user's name (or
# "The system"); an item's sentence names its dataset (``%(dataset)s``) when the reader can see it.
ACTIONS = {
    "request.create": gettext_lazy("%(actor)s drafted the request"),
    "request.update": gettext_lazy("%(actor)s edited the request"),
    "request.delete": gettext_lazy("%(actor)s deleted the draft"),
    "vote.cast": gettext_lazy("%(actor)s voted"),
    "comment.add": gettext_lazy("%(actor)s commented"),
    "agreement.create": gettext_lazy("%(actor)s opened the data-sharing agreement"),
    "agreement.sign": gettext_lazy("%(actor)s signed the data-sharing agreement"),
    "download": gettext_lazy("%(actor)s downloaded a file"),
    "document.add": gettext_lazy("%(actor)s attached a document"),
    "document.remove": gettext_lazy("%(actor)s removed a document"),
    "document.download": gettext_lazy("%(actor)s downloaded a document"),
    "letter.issue": gettext_lazy("The decision letter was written to the requester"),
}
ITEM_ACTIONS = {
    "item.submit": (gettext_lazy("%(actor)s submitted"), gettext_lazy("%(actor)s submitted “%(dataset)s”")),
    "item.start_review": (
        gettext_lazy("%(actor)s started the review"),
        gettext_lazy("%(actor)s started the review of “%(dataset)s”"),
    ),
    "item.request_changes": (
        gettext_lazy("%(actor)s asked for changes"),
        gettext_lazy("%(actor)s asked for changes to “%(dataset)s”"),
    ),
    "item.resubmit": (gettext_lazy("%(actor)s resubmitted"), gettext_lazy("%(actor)s resubmitted “%(dataset)s”")),
    "item.reopen": (
        gettext_lazy("%(actor)s re-opened the review (the consent changed)"),
        gettext_lazy("%(actor)s re-opened the review of “%(dataset)s” (the consent changed)"),
    ),
    "item.approve": (gettext_lazy("%(actor)s approved"), gettext_lazy("%(actor)s approved “%(dataset)s”")),
    "item.reject": (gettext_lazy("%(actor)s rejected"), gettext_lazy("%(actor)s rejected “%(dataset)s”")),
    "item.withdraw": (gettext_lazy("%(actor)s withdrew"), gettext_lazy("%(actor)s withdrew “%(dataset)s”")),
    "item.sign_agreement": (
        gettext_lazy("%(actor)s completed the agreement"),
        gettext_lazy("%(actor)s completed the agreement for “%(dataset)s”"),
    ),
    "item.release": (gettext_lazy("%(actor)s released"), gettext_lazy("%(actor)s released “%(dataset)s”")),
    "item.expire": (
        gettext_lazy("Access expired"),
        gettext_lazy("Access to “%(dataset)s” expired"),
    ),
    "item.revoke": (
        gettext_lazy("%(actor)s revoked access"),
        gettext_lazy("%(actor)s revoked access to “%(dataset)s”"),
    ),
}
RELEASE_UNTIL = (
    gettext_lazy("%(actor)s released, access until %(until)s"),
    gettext_lazy("%(actor)s released “%(dataset)s”, access until %(until)s"),
)
VOTES = {
    "approve": gettext_lazy("%(actor)s voted to approve"),
    "reject": gettext_lazy("%(actor)s voted to reject"),
    "changes": gettext_lazy("%(actor)s voted for changes"),
}
AGREEMENT_SIDES = {
    "requester": gettext_lazy("%(actor)s signed the data-sharing agreement (requester side)"),
    "holder": gettext_lazy("%(actor)s signed the data-sharing agreement (holder side)"),
}


@register.simple_tag
def event_sentence(event: AuditEvent, datasets_by_id: dict, show_votes: bool) -> str:
    """One timeline line in the active language, e.g. "dana approved “AHA AML cohort”"; how a member voted only
    for the committee (``show_votes``), otherwise "A committee member voted"."""
    after = event.after or {}
    params = {"actor": event.actor_username or _("The system")}
    dataset = datasets_by_id.get(after.get("dataset_id"))
    if dataset is not None:
        params["dataset"] = dataset.title
    named = int(dataset is not None)
    if event.action == "vote.cast":
        if not show_votes:
            return _("A committee member voted")
        sentence = VOTES.get(after.get("decision"), ACTIONS["vote.cast"])
    elif event.action == "agreement.sign":
        sentence = AGREEMENT_SIDES.get(after.get("side"), ACTIONS["agreement.sign"])
    elif event.action == "item.release" and after.get("valid_until"):
        sentence = RELEASE_UNTIL[named]
        until = parse_date(after["valid_until"])
        params["until"] = date_format(until, "DATE_FORMAT") if until else after["valid_until"]
    elif event.action in ITEM_ACTIONS:
        sentence = ITEM_ACTIONS[event.action][named]
    elif event.action in ACTIONS:
        sentence = ACTIONS[event.action]
    else:  # an action recorded by a newer release than this one's sentences: say what was recorded
        sentence = gettext_lazy("%(actor)s: %(action)s")
        params["action"] = event.action.replace(".", " ").replace("_", " ")
    return str(sentence) % params


@register.filter
def state_label(state: str) -> str:
    """The label of an item state or of a request's derived state ("closed" when all items are closed)."""
    return STATE_LABELS.get(state, _("Closed") if state == "closed" else state.replace("_", " ").capitalize())
