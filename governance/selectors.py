"""Reads that carry governance rules: who governs a dataset, who is recused, what is visible to whom,
the consent-match report of an item, and the tally of its votes. No writes here."""

from __future__ import annotations

import datetime
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from audit.models import AuditEvent
from catalogue.consent_matching import IntendedUse, Verdict, match_use
from catalogue.models import Dataset, Membership, MembershipRole
from catalogue.models.partners import FOR_PROFIT_KINDS
from catalogue.selectors import consent_conditions_of
from governance.decision_rules import Outcome, decision_outcome
from governance.models import (
    VOTING_ROLES,
    AccessGrant,
    AccessRequest,
    AccessRequestItem,
    DacMembership,
    DataAccessCommittee,
    DataSharingAgreement,
    ItemState,
    Notification,
    Vote,
    VoteDecision,
)

User = get_user_model()

# States a request's overall state can take, least advanced first: the request is as far as its least
# advanced open item. When no item is open, the request is in the shared closed state, or "closed".
_OPEN_ORDER = [
    ItemState.DRAFT,
    ItemState.CHANGES_REQUESTED,
    ItemState.SUBMITTED,
    ItemState.RESUBMITTED,
    ItemState.UNDER_REVIEW,
    ItemState.APPROVED,
    ItemState.AGREEMENT_SIGNED,
    ItemState.RELEASED,
]
HOLDER_VISIBLE_STATES = (
    ItemState.APPROVED,
    ItemState.AGREEMENT_SIGNED,
    ItemState.RELEASED,
    ItemState.EXPIRED,
    ItemState.REVOKED,
)


# --- committees -------------------------------------------------------------------------------------


def dac_for_dataset(dataset: Dataset) -> DataAccessCommittee | None:
    """The DAC governing ``dataset``: its explicit assignment, else its partner's DAC, else None."""
    explicit = DataAccessCommittee.objects.filter(governed_datasets__dataset=dataset).first()
    if explicit is not None:
        return explicit
    return DataAccessCommittee.objects.filter(partner_id=dataset.partner_id).first()


def dac_membership_of(user: AbstractBaseUser, dac: DataAccessCommittee | None) -> DacMembership | None:
    if dac is None or not user.is_authenticated:
        return None
    return DacMembership.objects.filter(dac=dac, user=user).first()


def dacs_of(user: AbstractBaseUser) -> QuerySet[DataAccessCommittee]:
    if not user.is_authenticated:
        return DataAccessCommittee.objects.none()
    return DataAccessCommittee.objects.filter(memberships__user=user).distinct()


def recusal_reason(*, user: AbstractBaseUser, access_request: AccessRequest) -> str | None:
    """Why ``user`` may not vote on ``access_request`` (conflict of interest), or None.

    The requester is recused, and so is anyone with any catalogue membership at the requesting partner.
    """
    if user.pk == access_request.requester_id:
        return "You are the requester of this request."
    if Membership.objects.filter(user_id=user.pk, partner_id=access_request.partner_id).exists():
        return f"You are affiliated with the requesting partner {access_request.partner}."
    return None


def eligible_voter_ids(item: AccessRequestItem) -> set[int]:
    """Voting members (chair, member) of the item's DAC who are not recused from its request."""
    if item.dac_id is None:
        return set()
    request = item.request
    voter_ids = set(
        DacMembership.objects.filter(dac_id=item.dac_id, role__in=VOTING_ROLES).values_list("user_id", flat=True)
    )
    affiliated = set(
        Membership.objects.filter(partner_id=request.partner_id, user_id__in=voter_ids).values_list(
            "user_id", flat=True
        )
    )
    return voter_ids - affiliated - {request.requester_id}


@dataclass(frozen=True)
class Tally:
    review_round: int
    approvals: int
    rejections: int
    changes: int
    eligible: int
    rule: str
    quorum_k: int | None
    outcome: Outcome


def item_tally(item: AccessRequestItem) -> Tally:
    """The current round's votes of eligible members, and what the DAC's rule makes of them."""
    eligible = eligible_voter_ids(item)
    decisions = list(
        Vote.objects.filter(item=item, review_round=item.review_round, member_id__in=eligible).values_list(
            "decision", flat=True
        )
    )
    approvals = decisions.count(VoteDecision.APPROVE)
    rejections = decisions.count(VoteDecision.REJECT)
    changes = decisions.count(VoteDecision.CHANGES)
    dac = item.dac
    rule = dac.decision_rule if dac else "majority"
    quorum_k = dac.quorum_k if dac else None
    outcome = decision_outcome(
        rule=rule,
        quorum_k=quorum_k,
        approvals=approvals,
        rejections=rejections,
        changes=changes,
        eligible=len(eligible),
    )
    return Tally(
        item.review_round,
        approvals,
        rejections,
        changes,
        len(eligible),
        rule,
        quorum_k,
        outcome,
    )


# --- consent matching -------------------------------------------------------------------------------


def intended_use_of(access_request: AccessRequest) -> IntendedUse:
    disease = access_request.disease
    return IntendedUse(
        purpose=access_request.purpose,
        disease_lineage=frozenset(disease.lineage_codes()) if disease else frozenset(),
        disease_name=disease.name if disease else "",
        commercial=access_request.commercial,
        for_profit=access_request.partner.kind in FOR_PROFIT_KINDS,
        will_publish=access_request.will_publish,
        collaboration_with_holder=access_request.collaboration_with_holder,
        methods_development=access_request.methods_development,
        genetic_studies=access_request.genetic_studies,
        ethics_reference=access_request.ethics_reference,
        ethics_expiry=access_request.ethics_expiry,
        end=access_request.requested_end,
    )


def item_verdict(item: AccessRequestItem, *, today: datetime.date | None = None) -> Verdict:
    """Does the request's intended use fall within the item's dataset consents (today)?"""
    return match_use(intended_use_of(item.request), consent_conditions_of(item.dataset), today or timezone.localdate())


# --- derived request state --------------------------------------------------------------------------


def request_state(access_request: AccessRequest) -> str:
    """The request's overall state, derived from its items' states (never stored)."""
    return state_from_item_states([item.state for item in access_request.items.all()])


def state_from_item_states(states: list[str]) -> str:
    if not states:
        return ItemState.DRAFT
    present = set(states)
    for state in _OPEN_ORDER:
        if state in present:
            return state
    return states[0] if len(present) == 1 else "closed"


# --- visibility -------------------------------------------------------------------------------------


def partners_where(user: AbstractBaseUser, role: str) -> QuerySet:
    return Membership.objects.filter(user_id=user.pk, role=role).values("partner_id")


def requests_visible_to(user: AbstractBaseUser) -> QuerySet[AccessRequest]:
    """Requests ``user`` may read.

    - the requester's own requests;
    - their team's: requests of a partner where the user is a researcher (read-only for them);
    - a DAC member's: requests with a submitted item addressed to their DAC;
    - a holder's: requests with an item of their datasets (curator) that reached approval;
    - administrators: all.
    """
    if not user.is_authenticated:
        return AccessRequest.objects.none()
    if user.is_superuser:
        return AccessRequest.objects.all()
    dac_items = AccessRequestItem.objects.filter(dac__memberships__user=user).exclude(state=ItemState.DRAFT)
    holder_items = AccessRequestItem.objects.filter(
        dataset__partner_id__in=partners_where(user, MembershipRole.CURATOR), state__in=HOLDER_VISIBLE_STATES
    )
    return AccessRequest.objects.filter(
        Q(requester=user)
        | Q(partner_id__in=partners_where(user, MembershipRole.RESEARCHER))
        | Q(id__in=dac_items.values("request_id"))
        | Q(id__in=holder_items.values("request_id"))
    )


def items_visible_to(user: AbstractBaseUser) -> QuerySet[AccessRequestItem]:
    """Items of visible requests; drafts only to the requester's side."""
    items = AccessRequestItem.objects.filter(request__in=requests_visible_to(user))
    if user.is_authenticated and not user.is_superuser:
        own_side = Q(request__requester=user) | Q(
            request__partner_id__in=partners_where(user, MembershipRole.RESEARCHER)
        )
        items = items.filter(own_side | ~Q(state=ItemState.DRAFT))
    return items


def review_queue_for(user: AbstractBaseUser) -> QuerySet[AccessRequestItem]:
    """Items under review in the user's DACs where they may vote and have not voted in this round."""
    if not user.is_authenticated:
        return AccessRequestItem.objects.none()
    items = (
        AccessRequestItem.objects.filter(
            state=ItemState.UNDER_REVIEW,
            dac__memberships__user=user,
            dac__memberships__role__in=VOTING_ROLES,
        )
        .exclude(request__requester=user)
        .exclude(request__partner_id__in=Membership.objects.filter(user_id=user.pk).values("partner_id"))
        .select_related("request", "dataset", "dac")
        .order_by("review_started_at")
    )
    already_voted = Vote.objects.filter(item=OuterRef("pk"), member=user, review_round=OuterRef("review_round"))
    return items.exclude(Exists(already_voted))


def can_read_votes(user: AbstractBaseUser, item: AccessRequestItem) -> bool:
    """Votes are the DAC's business: its members and administrators read them."""
    return user.is_superuser or (item.dac is not None and user.has_perm("governance.review_dac", item.dac))


def comments_visible_to(user: AbstractBaseUser, access_request: AccessRequest) -> QuerySet:
    comments = access_request.comments.select_related("author", "item")
    dac_ids = access_request.items.exclude(dac=None).values("dac_id")
    is_dac = user.is_superuser or DacMembership.objects.filter(user_id=user.pk, dac_id__in=dac_ids).exists()
    return comments if is_dac else comments.filter(dac_only=False)


def agreements_visible_to(user: AbstractBaseUser) -> QuerySet[DataSharingAgreement]:
    """Agreements of visible requests, and those the requesting partner's curators may sign for it."""
    return DataSharingAgreement.objects.filter(
        Q(request__in=requests_visible_to(user))
        | Q(request__partner_id__in=partners_where(user, MembershipRole.CURATOR))
    ).select_related("holder")


def grants_visible_to(user: AbstractBaseUser) -> QuerySet[AccessGrant]:
    """A grantee's own grants; the DAC's and the holder's grants on their items; all for administrators."""
    if not user.is_authenticated:
        return AccessGrant.objects.none()
    grants = AccessGrant.objects.select_related("item__dataset", "item__request", "grantee")
    if user.is_superuser:
        return grants
    return grants.filter(
        Q(grantee=user)
        | Q(item__dac__memberships__user=user)
        | Q(item__dataset__partner_id__in=partners_where(user, MembershipRole.CURATOR))
    ).distinct()


def live_grant_for(user: AbstractBaseUser, dataset: Dataset, *, today: datetime.date) -> AccessGrant | None:
    return (
        AccessGrant.objects.filter(
            grantee_id=user.pk,
            item__dataset=dataset,
            item__state=ItemState.RELEASED,
            revoked_at__isnull=True,
            expired_at__isnull=True,
            valid_until__gte=today,
        )
        .order_by("-valid_until")
        .first()
    )


def latest_grant_for(user: AbstractBaseUser, dataset: Dataset) -> AccessGrant | None:
    return AccessGrant.objects.filter(grantee_id=user.pk, item__dataset=dataset).order_by("-valid_from").first()


def audit_events_visible_to(user: AbstractBaseUser) -> QuerySet[AuditEvent]:
    """Events of requests the user made or whose items their DAC decides; everything for administrators."""
    if not user.is_authenticated:
        return AuditEvent.objects.none()
    if user.is_superuser:
        return AuditEvent.objects.all()
    request_ids = AccessRequest.objects.filter(
        Q(requester=user) | Q(items__dac__memberships__user=user, items__submitted_at__isnull=False)
    ).values("id")
    return AuditEvent.objects.filter(access_request_id__in=request_ids)


def notifications_for(user: AbstractBaseUser) -> QuerySet[Notification]:
    return Notification.objects.filter(user_id=user.pk)


def users_with_dac_roles(dac: DataAccessCommittee, roles: tuple[str, ...]) -> QuerySet:
    return User.objects.filter(dac_memberships__dac=dac, dac_memberships__role__in=roles)


def holder_curators(dataset: Dataset) -> QuerySet:
    return User.objects.filter(memberships__partner_id=dataset.partner_id, memberships__role=MembershipRole.CURATOR)


# --- dashboard --------------------------------------------------------------------------------------


def _median_days(durations: list[datetime.timedelta]) -> float | None:
    if not durations:
        return None
    return round(statistics.median(d.total_seconds() for d in durations) / 86400, 1)


def dashboard_stats(user: AbstractBaseUser) -> dict[str, object]:
    """Requests visible to ``user`` by overall state, and per DAC: items submitted, decided, released, and
    the median days from (first) submission to decision and to release (aggregates, shown to any signed-in user)."""
    requests = requests_visible_to(user).prefetch_related("items")
    by_state = Counter(request_state(access_request) for access_request in requests)
    timings: dict[int, dict[str, list[datetime.timedelta]]] = defaultdict(lambda: {"decision": [], "release": []})
    submitted: Counter[int] = Counter()
    for dac_id, submitted_at, decided_at, released_at in AccessRequestItem.objects.filter(
        dac__isnull=False, submitted_at__isnull=False
    ).values_list("dac_id", "submitted_at", "decided_at", "released_at"):
        submitted[dac_id] += 1
        if decided_at:
            timings[dac_id]["decision"].append(decided_at - submitted_at)
        if released_at:
            timings[dac_id]["release"].append(released_at - submitted_at)
    per_dac = [
        {
            "dac_id": dac.pk,
            "dac": dac.name,
            "items_submitted": submitted[dac.pk],
            "items_decided": len(timings[dac.pk]["decision"]),
            "items_released": len(timings[dac.pk]["release"]),
            "median_days_to_decision": _median_days(timings[dac.pk]["decision"]),
            "median_days_to_release": _median_days(timings[dac.pk]["release"]),
        }
        for dac in DataAccessCommittee.objects.order_by("name")
    ]
    return {"requests_by_state": dict(sorted(by_state.items())), "per_dac": per_dac}
