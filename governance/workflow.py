"""The access-request state machine: the table of allowed item transitions and one service per transition.

Every service here: locks the item row(s) with ``select_for_update`` (so two simultaneous
votes are both counted, exactly once), checks the current state against ``TRANSITIONS``,
checks permissions and preconditions, changes the state through :func:`_apply` (the only
code that assigns ``AccessRequestItem.state``), writes the audit event in the same
transaction, and schedules e-mail with ``transaction.on_commit`` (governance.notifications).
(Appending to the audit chain also takes a transaction-scoped lock — audit.services — so audited
writes commit one after another; the item lock is what the vote tally relies on.)

Item states and transitions (the request's overall state is derived: selectors.request_state)::

    draft ─submit→ submitted ─start_review→ under_review ─approve→ approved ─sign_agreement→
    agreement_signed ─release→ released ─expire→ expired
                                                 └revoke→ revoked
    under_review ─reject→ rejected
    under_review ─request_changes→ changes_requested ─resubmit→ resubmitted ─start_review→ under_review
    under_review, approved, agreement_signed ─reopen→ changes_requested   (the dataset's consents changed and no
    longer admit the item's frozen use: the requester adapts the use or withdraws; resubmission freezes a new
    basis against the new consents. A released item's grant is revoked instead.)
    any submitted state before release ─withdraw→ withdrawn   (by the requester; a draft is deleted instead,
    so the table and the ``submitted_item_has_dac`` check constraint agree: a withdrawn item was submitted)

Each committee decision (approve, reject, request_changes — by the decision rule or an officer) also writes the
requester's decision letter in the same transaction (governance.services.letters), with the reasons the members
gave for the requester (``Vote.reason``); the requester's notification opens it.

``start_review`` runs automatically right after submit and resubmit; ``approve``/``reject``
happen when a vote makes the DAC's decision rule (governance.decision_rules) conclusive;
``sign_agreement`` when the data-sharing agreement covering the item's holder is signed by
both sides (or at approval, if it already was).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from audit.services import audit_record
from catalogue.consent_matching import Verdict, match_use
from catalogue.models import Dataset, DatasetStatus, Membership, MembershipRole, Partner
from catalogue.selectors import consent_conditions_of
from governance import policy, selectors
from governance.capacity import item_capacity_problem
from governance.decision_rules import Outcome
from governance.errors import InvalidTransition, RuleViolation
from governance.models import (
    AccessGrant,
    AccessRequest,
    AccessRequestItem,
    Comment,
    DacMembership,
    DacRole,
    DataSharingAgreement,
    ItemState,
    Vote,
    VoteDecision,
    state_in_sentence,
)
from governance.notifications import item_review_url, letter_url, notify, release_page_url
from governance.review_basis import basis_field, basis_use, freeze_basis
from governance.services.agreements import agreement_text_refresh
from governance.services.letters import letter_issue
from harmony.wording import in_site_language

S = ItemState


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    refusal: str  # when the item is in another state: "Cannot <do this to> this item: it is %(state)s …"


SUBMITTED_PRE_RELEASE = frozenset(
    {S.SUBMITTED, S.UNDER_REVIEW, S.CHANGES_REQUESTED, S.RESUBMITTED, S.APPROVED, S.AGREEMENT_SIGNED}
)
DRAFT_NOT_WITHDRAWN = gettext_lazy(
    "A draft is not withdrawn: delete the request, or remove the dataset from it, instead."
)
_CANNOT_SUBMIT = gettext_lazy("Cannot submit this item: it is %(state)s (allowed from: %(sources)s).")
_CANNOT_START_REVIEW = gettext_lazy("Cannot start reviewing this item: it is %(state)s (allowed from: %(sources)s).")
_CANNOT_REQUEST_CHANGES = gettext_lazy(
    "Cannot ask for changes on this item: it is %(state)s (allowed from: %(sources)s)."
)
_CANNOT_RESUBMIT = gettext_lazy("Cannot resubmit this item: it is %(state)s (allowed from: %(sources)s).")
_CANNOT_REOPEN = gettext_lazy("Cannot re-open this item: it is %(state)s (allowed from: %(sources)s).")
_CANNOT_APPROVE = gettext_lazy("Cannot approve this item: it is %(state)s (allowed from: %(sources)s).")
_CANNOT_REJECT = gettext_lazy("Cannot reject this item: it is %(state)s (allowed from: %(sources)s).")
_CANNOT_SIGN = gettext_lazy(
    "Cannot mark as covered by an agreement this item: it is %(state)s (allowed from: %(sources)s)."
)
_CANNOT_RELEASE = gettext_lazy("Cannot release this item: it is %(state)s (allowed from: %(sources)s).")
_CANNOT_EXPIRE = gettext_lazy("Cannot expire this item: it is %(state)s (allowed from: %(sources)s).")
_CANNOT_REVOKE = gettext_lazy("Cannot revoke this item: it is %(state)s (allowed from: %(sources)s).")
_CANNOT_WITHDRAW = gettext_lazy("Cannot withdraw this item: it is %(state)s (allowed from: %(sources)s).")
TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition("submit", frozenset({S.DRAFT}), S.SUBMITTED, _CANNOT_SUBMIT),
        Transition("start_review", frozenset({S.SUBMITTED, S.RESUBMITTED}), S.UNDER_REVIEW, _CANNOT_START_REVIEW),
        Transition("request_changes", frozenset({S.UNDER_REVIEW}), S.CHANGES_REQUESTED, _CANNOT_REQUEST_CHANGES),
        Transition("resubmit", frozenset({S.CHANGES_REQUESTED}), S.RESUBMITTED, _CANNOT_RESUBMIT),
        Transition(
            "reopen", frozenset({S.UNDER_REVIEW, S.APPROVED, S.AGREEMENT_SIGNED}), S.CHANGES_REQUESTED, _CANNOT_REOPEN
        ),
        Transition("approve", frozenset({S.UNDER_REVIEW}), S.APPROVED, _CANNOT_APPROVE),
        Transition("reject", frozenset({S.UNDER_REVIEW}), S.REJECTED, _CANNOT_REJECT),
        Transition("sign_agreement", frozenset({S.APPROVED}), S.AGREEMENT_SIGNED, _CANNOT_SIGN),
        Transition("release", frozenset({S.AGREEMENT_SIGNED}), S.RELEASED, _CANNOT_RELEASE),
        Transition("expire", frozenset({S.RELEASED}), S.EXPIRED, _CANNOT_EXPIRE),
        Transition("revoke", frozenset({S.RELEASED}), S.REVOKED, _CANNOT_REVOKE),
        Transition("withdraw", SUBMITTED_PRE_RELEASE, S.WITHDRAWN, _CANNOT_WITHDRAW),
    ]
}
# Votes are not transitions, but are accepted in one state only.
VOTABLE_STATES = frozenset({S.UNDER_REVIEW})


def allowed(transition: str, state: str) -> bool:
    return state in TRANSITIONS[transition].sources


def _label(state: str) -> str:
    return state_in_sentence(state)


def _check(item: AccessRequestItem, transition: str) -> Transition:
    spec = TRANSITIONS[transition]
    if item.state not in spec.sources:
        sources = ", ".join(sorted(_label(s) for s in spec.sources))
        raise InvalidTransition(spec.refusal % {"state": _label(item.state), "sources": sources})
    return spec


def _apply(
    item: AccessRequestItem,
    transition: str,
    *,
    actor: AbstractBaseUser | None,
    details: dict[str, Any] | None = None,
) -> None:
    """Move a locked item along ``transition``: the one place that assigns ``item.state``; audited."""
    spec = _check(item, transition)
    now = timezone.now()
    before = {"state": item.state, "review_round": item.review_round}
    item.state = spec.target
    timestamps = {
        S.SUBMITTED: "submitted_at",
        S.UNDER_REVIEW: "review_started_at",
        S.APPROVED: "decided_at",
        S.REJECTED: "decided_at",
        S.RELEASED: "released_at",
    }
    if spec.target in timestamps:
        setattr(item, timestamps[spec.target], now)
    if spec.target in (S.REJECTED, S.WITHDRAWN, S.EXPIRED, S.REVOKED):
        item.closed_at = now
    item.save()
    audit_record(
        actor=actor,
        action=f"item.{transition}",
        obj=item,
        before=before,
        after={
            "state": item.state,
            "review_round": item.review_round,
            "dataset_id": item.dataset_id,
            **(details or {}),
        },
        access_request_id=item.request_id,
    )


def _lock_item(item: AccessRequestItem) -> AccessRequestItem:
    return (
        AccessRequestItem.objects.select_for_update(of=("self",))
        .select_related("request__partner", "request__requester", "request__disease", "dataset__partner", "dac")
        .get(pk=item.pk)
    )


def _lock_items(access_request: AccessRequest) -> list[AccessRequestItem]:
    return list(
        AccessRequestItem.objects.select_for_update(of=("self",))
        .select_related("request__partner", "request__requester", "request__disease", "dataset__partner", "dac")
        .filter(request=access_request)
        .order_by("id")
    )


def _today() -> datetime.date:
    return timezone.localdate()


def _notify_reviewers(item: AccessRequestItem, message_key: str) -> None:
    """The item's DAC: eligible voters and secretaries (recused members are not asked)."""
    eligible = selectors.eligible_voter_ids(item)
    secretaries = set(
        DacMembership.objects.filter(dac_id=item.dac_id, role=DacRole.SECRETARY).values_list("user_id", flat=True)
    )
    users = selectors.User.objects.filter(pk__in=eligible | secretaries)
    notify(
        users=users,
        verb="item_awaits_review",
        message_key=message_key,
        params={"request": item.request.title, "dataset": str(item.dataset)},
        access_request_id=item.request_id,
        target_url=item_review_url(item.pk),
    )


def _notify_requester(
    item: AccessRequestItem, verb: str, message_key: str, *, target_url: str = "", **params: Any
) -> None:
    """The requester's notification ``message_key`` about ``item``; ``dataset`` is always a parameter;
    ``target_url`` where it opens (a decision's: its letter), else the request's page."""
    notify(
        users=[item.request.requester],
        verb=verb,
        message_key=message_key,
        params={"dataset": str(item.dataset), **params},
        access_request_id=item.request_id,
        target_url=target_url,
    )


# --- submission ---------------------------------------------------------------------------------------


def submission_problems(access_request: AccessRequest, *, today: datetime.date) -> list[str]:
    """What must be fixed before the request can be (re)submitted."""
    problems = []
    required = {
        "title": _("Title is required."),
        "lay_summary": _("Lay summary is required."),
        "scientific_aims": _("Scientific aims is required."),
        "ethics_reference": _("Ethics reference is required."),
    }
    for field, message in required.items():
        if not str(getattr(access_request, field)).strip():
            problems.append(message)
    if access_request.requested_start is None or access_request.requested_end is None:
        problems.append(_("The requested start and end dates are required."))
    elif access_request.requested_end <= today:
        problems.append(_("The requested end date must be in the future."))
    if access_request.ethics_expiry is None:
        problems.append(_("The ethics approval's expiry date is required."))
    elif access_request.ethics_expiry < today:  # the expiry date is the approval's last valid day
        problems.append(_("The ethics approval expired on %(date)s.") % {"date": access_request.ethics_expiry})
    if not Membership.objects.filter(
        user_id=access_request.requester_id, partner_id=access_request.partner_id, role=MembershipRole.RESEARCHER
    ).exists():
        problems.append(
            _("The requester is no longer a researcher at %(partner)s.") % {"partner": access_request.partner}
        )
    return problems


@transaction.atomic
def submit(*, access_request: AccessRequest, actor: AbstractBaseUser) -> AccessRequest:
    """Submit every draft item to the DAC governing its dataset and start its review.

    Rules: only the requester; all items still draft; the request complete with valid ethics;
    each dataset published and governed by a DAC (fixed on the item now) whose eligible voters, after
    recusal, can reach its decision rule (governance.capacity). Audits item.submit
    (with the consent-match verdict) and item.start_review per item; notifies the DACs.
    """
    access_request = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    policy.require(policy.can_submit(actor, access_request))
    items = _lock_items(access_request)
    if not items:
        raise RuleViolation(_("Add at least one dataset before submitting."), field="items")
    for item in items:
        _check(item, "submit")
    today = _today()
    problems = submission_problems(access_request, today=today)
    for item in items:
        if item.dataset.status != DatasetStatus.PUBLISHED:
            problems.append(_("The dataset “%(dataset)s” is not published.") % {"dataset": item.dataset})
        item.dac = selectors.dac_for_dataset(item.dataset)
        if item.dac is None:
            problems.append(
                _("No data access committee governs the dataset “%(dataset)s”.") % {"dataset": item.dataset}
            )
        elif problem := item_capacity_problem(item):
            problems.append(problem)
    if problems:
        raise RuleViolation(_("The request cannot be submitted."), reasons=problems)
    access_request.submitted_at = timezone.now()
    access_request.save(update_fields=["submitted_at", "updated_at"])
    for item in items:
        basis, verdict = freeze_basis(item, today=today)
        _apply(
            item,
            "submit",
            actor=actor,
            details={
                "dac_id": item.dac_id,
                "compatible": verdict.compatible,
                "reasons": list(verdict.reasons),
                "basis_id": basis.pk,
                "basis_sha256": basis.sha256,
            },
        )
        _apply(item, "start_review", actor=actor)
        _notify_reviewers(item, "review.submitted")
    return access_request


@transaction.atomic
def resubmit(*, access_request: AccessRequest, actor: AbstractBaseUser) -> AccessRequest:
    """Send the items that were sent back (changes requested) to review again, in a new voting round."""
    access_request = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    policy.require(policy.can_submit(actor, access_request))
    items = [item for item in _lock_items(access_request) if item.state == S.CHANGES_REQUESTED]
    if not items:
        raise InvalidTransition(_("Nothing to resubmit: no item of this request is waiting for changes."))
    today = _today()
    problems = submission_problems(access_request, today=today)
    problems.extend(problem for item in items if (problem := item_capacity_problem(item)))
    if problems:
        raise RuleViolation(_("The request cannot be resubmitted."), reasons=problems)
    for item in items:
        item.review_round += 1
        basis, verdict = freeze_basis(item, today=today)
        _apply(
            item,
            "resubmit",
            actor=actor,
            details={
                "compatible": verdict.compatible,
                "reasons": list(verdict.reasons),
                "basis_id": basis.pk,
                "basis_sha256": basis.sha256,
            },
        )
        _apply(item, "start_review", actor=actor)
        _notify_reviewers(item, "review.resubmitted")
    return access_request


@transaction.atomic
def withdraw(*, item: AccessRequestItem, actor: AbstractBaseUser) -> AccessRequestItem:
    """The requester withdraws one submitted item, in any state before release (drafts are deleted instead)."""
    item = _lock_item(item)
    policy.require(policy.can_withdraw(actor, item.request))
    if item.state == S.DRAFT:
        raise InvalidTransition(DRAFT_NOT_WITHDRAWN)
    _apply(item, "withdraw", actor=actor)
    _notify_reviewers(item, "review.withdrawn")
    return item


@transaction.atomic
def withdraw_request(*, access_request: AccessRequest, actor: AbstractBaseUser) -> AccessRequest:
    """Withdraw every item of the request that has not been released yet."""
    access_request = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    policy.require(policy.can_withdraw(actor, access_request))
    all_items = _lock_items(access_request)
    items = [item for item in all_items if allowed("withdraw", item.state)]
    if not items:
        if all_items and all(item.state == S.DRAFT for item in all_items):
            raise InvalidTransition(DRAFT_NOT_WITHDRAWN)
        raise InvalidTransition(_("Nothing to withdraw: every item is released or closed."))
    for item in items:
        withdraw(item=item, actor=actor)
    return access_request


# --- review -------------------------------------------------------------------------------------------


@transaction.atomic
def vote_cast(
    *,
    item: AccessRequestItem,
    member: AbstractBaseUser,
    decision: str,
    comment: str = "",
    reason: str = "",
    conditions: str = "",
) -> Vote:
    """Record ``member``'s vote in the item's current round and apply the DAC's decision rule.

    ``comment`` is for the committee; ``reason`` is for the requester (it goes into the decision letter) and is
    required to reject or ask for changes; ``conditions`` (approvals only, one per line) are conditions of approval
    the letter states.

    The item row is locked first, so concurrent votes are serialised and each sees the
    others' votes: the tally is right and the decision is taken exactly once.
    Refused: non-members, secretaries, recused members (requester; affiliated with the
    requesting partner), items not under review, a second vote in the round, and any
    approval of an item whose intended use the consent does not admit.
    Audits vote.cast, then item.approve / item.reject / item.request_changes if conclusive, and then the
    decision letter (governance.services.letters, letter.issue).
    """
    if decision not in VoteDecision.values:
        raise RuleViolation(_("Unknown decision “%(decision)s”.") % {"decision": decision}, field="decision")
    item = _lock_item(item)
    policy.require(policy.can_vote(member, item))
    if item.state not in VOTABLE_STATES:
        raise InvalidTransition(
            _("Votes are accepted only while the item is under review; it is %(state)s.")
            % {"state": _label(item.state)}
        )
    if decision == VoteDecision.APPROVE:
        verdict = basis_verdict(item, today=_today())
        if not verdict.compatible:
            raise RuleViolation(
                _("This item cannot be approved: the intended use is not compatible with the dataset's consent."),
                reasons=verdict.reasons,
            )
    if decision == VoteDecision.CHANGES and not reason.strip():
        raise RuleViolation(_("Say what should change: the requester reads it in the decision letter."), field="reason")
    if decision == VoteDecision.REJECT and not reason.strip():
        raise RuleViolation(
            _("Give the reason for the rejection: the requester reads it in the decision letter."), field="reason"
        )
    if decision != VoteDecision.APPROVE and conditions.strip():
        raise RuleViolation(_("Conditions go with an approval only."), field="conditions")
    already = _("You have already voted on this item in review round %(round)s.") % {"round": item.review_round}
    if Vote.objects.filter(item=item, member=member, review_round=item.review_round).exists():
        raise InvalidTransition(already)
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
                item=item,
                member=member,
                review_round=item.review_round,
                decision=decision,
                comment=comment,
                reason=reason.strip(),
                conditions=conditions.strip(),
                basis=item.basis,
            )
    except IntegrityError as exc:  # the unique constraint backs the check above
        raise InvalidTransition(already) from exc
    audit_record(
        actor=member,
        action="vote.cast",
        obj=vote,
        after={
            "item_id": item.pk,
            "decision": decision,
            "review_round": item.review_round,
            "comment": comment,
            "reason": reason.strip(),
            "conditions": conditions.strip(),
            "basis_id": item.basis_id,
        },
        access_request_id=item.request_id,
    )
    tally = selectors.item_tally(item)
    counts = {
        "approvals": tally.approvals,
        "rejections": tally.rejections,
        "changes": tally.changes,
        "eligible": tally.eligible,
    }
    if tally.outcome == Outcome.APPROVED:
        _approve(item, actor=member, details={**counts, "rule": tally.rule})
    elif tally.outcome == Outcome.REJECTED:
        _apply(item, "reject", actor=member, details={**counts, "rule": tally.rule})
        letter = letter_issue(
            item=item, decision=VoteDecision.REJECT, actor=member, reasons=_round_words(item, VoteDecision.REJECT)
        )
        _notify_requester(
            item, "item_rejected", "item.rejected", committee=str(item.dac), target_url=letter_url(letter.pk)
        )
    elif tally.outcome == Outcome.CHANGES_REQUESTED:
        _request_changes(
            item,
            actor=member,
            reasons=_round_words(item, VoteDecision.CHANGES),
            details={**counts, "rule": tally.rule},
        )
    return vote


def _round_words(item: AccessRequestItem, decision: str, field: str = "reason") -> list[str]:
    """What this round's ``decision`` votes said for the requester (``reason`` or ``conditions``), in voting
    order: the decision letter's reasons (or conditions, one per line of each vote)."""
    votes = Vote.objects.filter(item=item, review_round=item.review_round, decision=decision)
    words = votes.order_by("created_at", "id").values_list(field, flat=True)
    return [
        line.strip()
        for text in words
        for line in (text.splitlines() if field == "conditions" else [text])
        if line.strip()
    ]


def basis_verdict(item: AccessRequestItem, *, today: datetime.date) -> Verdict:
    """The item's frozen intended use (its review basis) matched against the dataset's consents as they are now."""
    if item.basis is None:
        return Verdict(False, ("The item has no frozen review basis: it was submitted before bases were recorded.",))
    return match_use(basis_use(item.basis), consent_conditions_of(item.dataset), today)


def _approve(item: AccessRequestItem, *, actor: AbstractBaseUser, details: dict[str, Any]) -> None:
    verdict = basis_verdict(item, today=_today())
    if not verdict.compatible:  # unreachable through votes (approvals are refused), kept as the last guard
        raise RuleViolation(
            _("This item cannot be approved: the intended use is not compatible with the dataset's consent."),
            reasons=verdict.reasons,
        )
    _apply(item, "approve", actor=actor, details=details)
    access_start = basis_field(item.basis, "requested_start") if item.basis is not None else None
    letter = letter_issue(
        item=item,
        decision=VoteDecision.APPROVE,
        actor=actor,
        reasons=_round_words(item, VoteDecision.APPROVE),
        conditions=_round_words(item, VoteDecision.APPROVE, "conditions"),
        access_start=access_start,
        access_end=release_latest_end(item),
    )
    holder = item.dataset.partner
    agreement, created = DataSharingAgreement.objects.get_or_create(request=item.request, holder=holder)
    agreement = DataSharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    agreement.bases.add(item.basis)
    agreement_text_refresh(agreement)
    if created:
        audit_record(
            actor=actor,
            action="agreement.create",
            obj=agreement,
            after={"holder_id": holder.pk},
            access_request_id=item.request_id,
        )
    _notify_requester(item, "item_approved", "item.approved", holder=str(holder), target_url=letter_url(letter.pk))
    notify(
        users=selectors.holder_curators(item.dataset),
        verb="agreement_awaits_signature",
        message_key="holder.agreement_awaits_signature",
        params={"dataset": str(item.dataset), "request": item.request.title},
        access_request_id=item.request_id,
        target_url=release_page_url(item.pk),
    )
    if agreement.is_complete:
        _apply(item, "sign_agreement", actor=actor, details={"agreement_id": agreement.pk})


def _request_changes(
    item: AccessRequestItem, *, actor: AbstractBaseUser, reasons: list[str], details: dict[str, Any] | None = None
) -> None:
    """Return the item for changes with ``reasons`` (for the requester): the comment on the request, the
    decision letter and the notification that links to it."""
    comment = "\n".join(reasons)
    _apply(item, "request_changes", actor=actor, details={"comment": comment, **(details or {})})
    Comment.objects.create(request=item.request, item=item, author=actor, body=comment)
    letter = letter_issue(item=item, decision=VoteDecision.CHANGES, actor=actor, reasons=reasons)
    _notify_requester(
        item,
        "item_changes_requested",
        "item.changes_requested",
        committee=str(item.dac),
        comment=comment,
        target_url=letter_url(letter.pk),
    )


@transaction.atomic
def request_changes(*, item: AccessRequestItem, actor: AbstractBaseUser, comment: str) -> AccessRequestItem:
    """The committee's officers (chair, secretary) send an item under review back to the requester with
    ``comment``, without a vote (its votes stay in their round): a procedural power for a request that is not
    ready to be decided (governance.decision_rules). Ordinary members ask for changes by voting, and the
    committee's rule decides. Who may: governance.policy.can_request_changes (never a recused officer)."""
    item = _lock_item(item)
    policy.require(policy.can_request_changes(actor, item))
    _check(item, "request_changes")
    if not comment.strip():
        raise RuleViolation(_("Say what should change."), field="comment")
    _request_changes(item, actor=actor, reasons=[comment.strip()])
    return item


# --- agreement and release --------------------------------------------------------------------------


@transaction.atomic
def agreement_sign(
    *,
    agreement: DataSharingAgreement,
    actor: AbstractBaseUser,
    side: str,
    signed_name: str = "",
    text_sha256: str = "",
) -> DataSharingAgreement:
    """Sign one side of the agreement; once both sides have, the holder's approved items become agreement_signed.

    The signer's typed ``signed_name`` (the pages require it; API clients and scripts that send none sign with
    the account's full name, else its username), the time and the SHA-256 of the agreement's text are recorded
    on that side and in the agreement.sign audit event. ``text_sha256``, when given, is the hash of the text the
    signer read: if the text changed since, signing is refused (409), so nobody signs words they did not see.
    The first signature freezes the text (governance.services.agreements).
    Locks the holder's items before the agreement (the order vote_cast uses) so the two never deadlock.
    """
    if side not in ("requester", "holder"):
        raise RuleViolation(_("Side must be “requester” or “holder”."), field="side")
    items = [item for item in _lock_items(agreement.request) if item.dataset.partner_id == agreement.holder_id]
    agreement = (
        DataSharingAgreement.objects.select_for_update().select_related("request", "holder").get(pk=agreement.pk)
    )
    policy.require(policy.can_sign(actor, agreement, side))
    if getattr(agreement, f"{side}_signed_at") is not None:
        raise InvalidTransition(
            _("The agreement is already signed on the requester side.")
            if side == "requester"
            else _("The agreement is already signed on the holder side.")
        )
    signed_name = signed_name.strip() or actor.get_full_name() or actor.get_username()
    if not agreement.text:  # agreements opened before texts were rendered
        agreement_text_refresh(agreement)
    if text_sha256 and text_sha256 != agreement.text_sha256:
        raise InvalidTransition(_("The agreement's text changed since you read it: read it again, then sign."))
    setattr(agreement, f"{side}_signed_at", timezone.now())
    setattr(agreement, f"{side}_signed_by", actor)
    setattr(agreement, f"{side}_signed_name", signed_name)
    setattr(agreement, f"{side}_signed_sha256", agreement.text_sha256)
    agreement.save()
    audit_record(
        actor=actor,
        action="agreement.sign",
        obj=agreement,
        after={
            "side": side,
            "complete": agreement.is_complete,
            "signed_name": signed_name,
            "text_sha256": agreement.text_sha256,
        },
        access_request_id=agreement.request_id,
    )
    if agreement.is_complete:
        for item in items:
            if item.state == S.APPROVED:
                _apply(item, "sign_agreement", actor=actor, details={"agreement_id": agreement.pk})
                notify(
                    users=selectors.holder_curators(item.dataset),
                    verb="item_ready_for_release",
                    message_key="holder.ready_for_release",
                    params={"dataset": str(item.dataset), "request": item.request.title},
                    access_request_id=item.request_id,
                    target_url=release_page_url(item.pk),
                )
    return agreement


def approved_period(item: AccessRequestItem) -> tuple[datetime.date | None, datetime.date | None]:
    """(ethics expiry, requested end) the approval stands for: the frozen basis's, or the request's if earlier.

    A request edited after approval can shorten access, never extend it beyond what the committee reviewed.
    """
    request = item.request
    if item.basis is None:
        return None, None
    frozen_ethics, frozen_end = basis_field(item.basis, "ethics_expiry"), basis_field(item.basis, "requested_end")

    def earlier(a: datetime.date | None, b: datetime.date | None) -> datetime.date | None:
        return min(a, b) if a and b else None

    return earlier(frozen_ethics, request.ethics_expiry), earlier(frozen_end, request.requested_end)


def release_gate_problems(item: AccessRequestItem, *, today: datetime.date) -> list[str]:
    """Why the item may not be released today (beyond its state): empty when the gate is open."""
    request = item.request
    problems = []
    agreement = DataSharingAgreement.objects.filter(request=request, holder=item.dataset.partner).first()
    if agreement is None or not agreement.is_complete:
        problems.append(_("The data-sharing agreement is not signed by both the requesting partner and the holder."))
    ethics_expiry, requested_end = approved_period(item)
    if ethics_expiry is None or ethics_expiry < today:
        problems.append(_("The ethics approval expired on %(date)s.") % {"date": ethics_expiry})
    if item.dataset.status == DatasetStatus.RETIRED:
        problems.append(_("The dataset has been retired."))
    left = affiliation_problem(item)
    if left:
        problems.append(left)
    if requested_end is None or requested_end < today:
        problems.append(_("The requested period ended on %(date)s.") % {"date": requested_end})
    verdict = basis_verdict(item, today=today)
    if not verdict.compatible:
        problems.append(_("The dataset's consent no longer covers the intended use."))
        problems.extend(verdict.reasons)
    return problems


def release_latest_end(item: AccessRequestItem) -> datetime.date | None:
    """The last day a grant released for ``item`` may last: the approved requested end or the approved ethics
    expiry, whichever is earlier. Both dates are inclusive (the last day of the period, the last day the approval
    is valid), so a requested end of 31 December 2028 allows access through 31 December 2028."""
    ethics_expiry, requested_end = approved_period(item)
    if ethics_expiry is None or requested_end is None:
        return None
    return min(requested_end, ethics_expiry)


@transaction.atomic
def release_item(
    *, item: AccessRequestItem, actor: AbstractBaseUser, valid_until: datetime.date | None = None
) -> AccessGrant:
    """Release an item whose agreement is signed: creates a time-limited grant for the requester.

    Gate (release_gate_problems): agreement complete, ethics valid, dataset not retired, requested period not
    over, and the consent still covers the approved use (the frozen basis, matched again now). The holder chooses
    the grant's last day ``valid_until`` (inclusive) within what was approved: from today to
    :func:`release_latest_end`; without one the grant lasts the whole approved period. A day outside it is a
    RuleViolation on ``valid_until`` (HTTP 400). The grant records who released it.
    """
    item = _lock_item(item)
    policy.require(policy.can_release(actor, item))
    _check(item, "release")
    today = _today()
    problems = release_gate_problems(item, today=today)
    if problems:
        raise RuleViolation(_("This item cannot be released."), reasons=problems)
    request = item.request
    latest = release_latest_end(item)
    assert latest is not None  # the gate refuses otherwise
    if valid_until is None:
        valid_until = latest
    elif valid_until < today:
        raise RuleViolation(
            _("The last day of access cannot be before today (%(today)s).") % {"today": today}, field="valid_until"
        )
    elif valid_until > latest:
        raise RuleViolation(
            _("The last day of access cannot be after %(latest)s, the end of what the committee approved.")
            % {"latest": latest},
            field="valid_until",
        )
    grant = AccessGrant.objects.create(
        item=item,
        grantee=request.requester,
        valid_from=timezone.now(),
        valid_until=valid_until,
        basis=item.basis,
        released_by=actor,
    )
    _apply(item, "release", actor=actor, details={"grant_id": grant.pk, "valid_until": valid_until.isoformat()})
    _notify_requester(item, "item_released", "item.released", until=valid_until.isoformat())
    notify(
        users=selectors.holder_curators(item.dataset),
        verb="item_released",
        message_key="holder.released",
        params={"dataset": str(item.dataset), "requester": str(request.requester), "until": valid_until.isoformat()},
        access_request_id=item.request_id,
        target_url=release_page_url(item.pk),
    )
    return grant


def _end_grant(
    item: AccessRequestItem, grant: AccessGrant, *, transition: str, actor: AbstractBaseUser | None, reason: str
) -> None:
    now = timezone.now()
    if transition == "revoke":
        grant.revoked_at, grant.revoked_by, grant.revoke_reason = now, actor, reason
    else:
        grant.expired_at = now
    grant.save()
    _apply(item, transition, actor=actor, details={"grant_id": grant.pk, "reason": reason})
    if transition == "revoke":
        _notify_requester(item, "grant_revoked", "grant.revoked", reason=reason)
    else:
        _notify_requester(item, "grant_expired", "grant.expired", until=grant.valid_until.isoformat())


@transaction.atomic
def grant_revoke(*, grant: AccessGrant, actor: AbstractBaseUser, reason: str) -> AccessGrant:
    """The DAC (chair, secretary) or the holder ends a live grant at once; access stops immediately."""
    item = _lock_item(grant.item)
    grant = AccessGrant.objects.select_for_update().get(pk=grant.pk)
    grant.item = item
    policy.require(policy.can_revoke(actor, grant))
    if not reason.strip():
        raise RuleViolation(_("Give the reason for the revocation."), field="reason")
    _check(item, "revoke")
    _end_grant(item, grant, transition="revoke", actor=actor, reason=reason)
    return grant


@transaction.atomic
def grants_revoke_for_dataset(*, dataset: Dataset, reason: str, actor: AbstractBaseUser | None = None) -> int:
    """Revoke every live grant on a dataset (consent withdrawn, dataset retired); returns how many."""
    count = 0
    for item in AccessRequestItem.objects.filter(dataset=dataset, state=S.RELEASED).order_by("id"):
        item = _lock_item(item)
        if item.state != S.RELEASED:
            continue
        _end_grant(
            item,
            AccessGrant.objects.select_for_update().get(item=item),
            transition="revoke",
            actor=actor,
            reason=reason,
        )
        count += 1
    return count


def affiliation_problem(item: AccessRequestItem) -> str | None:
    """Why the requester may no longer hold access through ``item``'s request: they left the requesting partner."""
    request = item.request
    if Membership.objects.filter(
        user_id=request.requester_id, partner_id=request.partner_id, role=MembershipRole.RESEARCHER
    ).exists():
        return None
    return f"The requester is no longer a researcher at {request.partner}."


@transaction.atomic
def grants_revoke_for_grantee(*, user: AbstractBaseUser, partner: Partner, actor: AbstractBaseUser | None) -> int:
    """Revoke ``user``'s live grants obtained through requests on behalf of ``partner`` once they are no longer a
    researcher there (access follows the affiliation it was granted for); returns how many."""
    count = 0
    released = AccessRequestItem.objects.filter(
        request__requester_id=user.pk, request__partner_id=partner.pk, state=S.RELEASED
    ).order_by("id")
    for item in released:
        item = _lock_item(item)
        reason = affiliation_problem(item)
        if item.state != S.RELEASED or reason is None:
            continue
        grant = AccessGrant.objects.select_for_update().get(item=item)
        _end_grant(item, grant, transition="revoke", actor=actor, reason=reason)
        count += 1
    return count


@transaction.atomic
def decisions_recheck_for_dataset(*, dataset: Dataset, reason: str, actor: AbstractBaseUser | None = None) -> int:
    """Re-check every open decision on ``dataset`` against its consents as they are now (after a revision or a
    removal); returns how many items were affected.

    Each item's frozen use (its review basis) is matched again: a released item the consents no longer cover
    loses its grant (revoked, with the reasons); an item under review, approved or covered by an agreement is
    re-opened (changes requested), so the requester adapts the use or withdraws, and its resubmission is
    reviewed on a new basis. Items the consents still admit keep their basis and state.
    """
    today = _today()
    affected = 0
    states = (S.UNDER_REVIEW, S.APPROVED, S.AGREEMENT_SIGNED, S.RELEASED)
    for item in AccessRequestItem.objects.filter(dataset=dataset, state__in=states).order_by("id"):
        item = _lock_item(item)
        if item.state not in states:
            continue
        # The reasons go into the record (the revocation, the re-opening), read later in several languages:
        # worded in the site's language, like the ``reason`` the caller passes.
        with translation.override(settings.LANGUAGE_CODE):
            verdict = basis_verdict(item, today=today)
        if verdict.compatible:
            continue
        affected += 1
        why = in_site_language(
            gettext_noop("%(reason)s The consent no longer covers the approved use: %(reasons)s"),
            reason=reason,
            reasons=" ".join(verdict.reasons),
        )
        if item.state == S.RELEASED:
            grant = AccessGrant.objects.select_for_update().get(item=item)
            _end_grant(item, grant, transition="revoke", actor=actor, reason=why)
            continue
        _apply(item, "reopen", actor=actor, details={"reason": reason, "reasons": list(verdict.reasons)})
        _notify_requester(item, "item_reopened", "item.reopened", reason=why)
    return affected


@transaction.atomic
def grant_expire(*, grant: AccessGrant, today: datetime.date | None = None) -> bool:
    """Expire one grant whose last day has passed (system action); False if it is not due or not live."""
    today = today or _today()
    item = _lock_item(grant.item)
    grant = AccessGrant.objects.select_for_update().get(pk=grant.pk)
    if item.state != S.RELEASED or grant.valid_until >= today:
        return False
    reason = in_site_language(
        gettext_noop("The access grant was valid until %(date)s."), date=grant.valid_until.isoformat()
    )
    _end_grant(item, grant, transition="expire", actor=None, reason=reason)
    return True


def grants_expire(*, today: datetime.date | None = None) -> int:
    """Expire every grant whose last day is before ``today``; each in its own transaction. Returns how many."""
    today = today or _today()
    due = AccessGrant.objects.filter(item__state=S.RELEASED, valid_until__lt=today).order_by("id")
    return sum(grant_expire(grant=grant, today=today) for grant in due)
