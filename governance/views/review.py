"""The data access committee's pages: the review queue with waiting times and the item review page
(request, consent-match report, recusal notice, vote with comment, ask for changes, decision-rule progress)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import policy, selectors, workflow
from governance.decision_rules import Outcome
from governance.errors import GovernanceError
from governance.forms import SEND_BACK, CommentForm, VoteForm
from governance.models import AccessRequestItem, DecisionRule, ItemState, Vote, VoteDecision
from governance.passports.selectors import current_visas_of
from governance.review_basis import basis_changes, basis_display, match_report, previous_basis
from governance.views.requests import documents_context
from harmony.errors import apply_to_form


def _waiting_days(item: AccessRequestItem, now: datetime.datetime) -> int:
    started = item.review_started_at or item.submitted_at or now
    return (now - started).days


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    dacs = list(selectors.dacs_of(user))
    if not dacs and not user.is_superuser:
        raise PermissionDenied(_("The review queue is for members of a data access committee."))
    now = timezone.now()
    queue = list(selectors.review_queue_for(user).select_related("request__partner", "dataset__partner"))
    for item in queue:
        item.waiting_days = _waiting_days(item, now)
        item.overdue = item.waiting_days > item.dac.target_days
    waiting_ids = [item.pk for item in queue]
    voted = Vote.objects.filter(item=OuterRef("pk"), member=user, review_round=OuterRef("review_round"))
    others = list(
        AccessRequestItem.objects.filter(dac__in=dacs, state=ItemState.UNDER_REVIEW)
        .exclude(pk__in=waiting_ids)
        .annotate(has_voted=Exists(voted))
        .select_related("request__partner", "dataset", "dac")
        .order_by("review_started_at")
    )
    for item in others:
        item.waiting_days = _waiting_days(item, now)
        recused = policy.is_recused(user, item)
        item.recusal = recused.reason if recused and not item.has_voted else None
    decided = (
        AccessRequestItem.objects.filter(dac__in=dacs, decided_at__isnull=False)
        .select_related("request", "dataset", "dac")
        .order_by("-decided_at")[:10]
    )
    context = {"queue": queue, "others": others, "decided": decided, "dacs": dacs}
    return render(request, "governance/review_queue.html", context)


def _reviewable_item(request: HttpRequest, item_id: int) -> AccessRequestItem:
    """An item of a committee the user sits on (administrators see every item)."""
    item = get_object_or_404(
        selectors.items_visible_to(request.user).select_related(
            "request__partner", "request__requester", "request__disease", "dataset__partner", "dac"
        ),
        pk=item_id,
    )
    if not request.user.is_superuser and item.dac_id not in policy.facts_for(request.user).dac_roles:
        raise PermissionDenied(_("Only members of the deciding committee review this item."))
    return item


@login_required
def item_review(request: HttpRequest, item_id: int) -> HttpResponse:
    """The committee's page of one item: the full consent-match report, what changed since the last round, the
    request and its documents, and one decision form whose refusals appear next to its controls."""
    item = _reviewable_item(request, item_id)
    user = request.user
    membership = selectors.dac_membership_of(user, item.dac)
    recused = policy.is_recused(user, item)
    recusal = recused.reason if recused else None
    my_vote = Vote.objects.filter(item=item, member=user, review_round=item.review_round).first()
    can_vote = bool(policy.can_vote(user, item)) and my_vote is None and item.state in workflow.VOTABLE_STATES
    can_send_back = item.state == ItemState.UNDER_REVIEW and bool(policy.can_request_changes(user, item))
    vote_form = VoteForm(request.POST or None, can_vote=can_vote, can_send_back=can_send_back)
    if request.method == "POST" and vote_form.is_valid():
        decision, comment = vote_form.cleaned_data["decision"], vote_form.cleaned_data["comment"]
        try:
            if decision == SEND_BACK:
                # Sending back is not a vote: the reason for the requester is what goes back with the item.
                workflow.request_changes(item=item, actor=user, comment=vote_form.cleaned_data["reason"])
            else:
                workflow.vote_cast(
                    item=item,
                    member=user,
                    decision=decision,
                    comment=comment,
                    reason=vote_form.cleaned_data["reason"],
                    conditions=vote_form.cleaned_data["conditions"],
                )
        except GovernanceError as error:
            if error.fields:
                apply_to_form(vote_form, error, aliases={"comment": "reason"} if decision == SEND_BACK else None)
            else:  # a refusal of the decision itself (not permitted, incompatible use): next to the choice
                vote_form.add_error("decision", [error.message, *error.reasons])
        else:
            done = _("The item is sent back to the requester with your reason.") if decision == SEND_BACK else None
            messages.success(request, done or _("Your vote is recorded."))
            return redirect("governance:item_review", item_id=item.pk)
    tally = selectors.item_tally(item)
    today = timezone.localdate()
    before = previous_basis(item)
    context = {
        "item": item,
        "access_request": item.request,
        "membership": membership,
        "recusal": recusal,
        "verdict": workflow.basis_verdict(item, today=today) if item.basis else selectors.item_verdict(item),
        "match_report": match_report(item, today=today),
        "tally": tally,
        "rule_label": DecisionRule(tally.rule).label,
        "progress": round(100 * tally.approvals / tally.eligible) if tally.eligible else 0,
        "basis": item.basis,
        "previous_basis": before,
        "changes": basis_changes(before, item.basis) if before is not None and item.basis is not None else [],
        "requester_visas": current_visas_of(item.request.requester),
        "basis_fields": basis_display(item.basis) if item.basis else [],
        "pending": tally.outcome == Outcome.PENDING,
        "outcome_label": tally.outcome.value.replace("_", " "),
        "votes": Vote.objects.filter(item=item).select_related("member").order_by("review_round", "created_at")
        if policy.can_read_votes(user, item)
        else None,
        "my_vote": my_vote,
        "vote_form": vote_form,
        "can_decide": can_vote or can_send_back,
        "comments": selectors.comments_visible_to(user, item.request),
        "comment_form": CommentForm(),
        "other_items": item.request.items.exclude(pk=item.pk).select_related("dataset", "dac"),
        "approve": VoteDecision.APPROVE,
        **documents_context(user, item.request),
        "letters": item.letters.order_by("-review_round"),
    }
    return render(request, "governance/item_review.html", context)
