"""Reads that carry governance rules: who governs a dataset, who may vote, what is visible to whom,
the consent-match report of an item, and the tally of its votes. No writes here.

Who-may-see-what is not written here: every list filters with the ``Q`` of governance.policy.
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from audit.models import AuditEvent
from catalogue.consent_matching import IntendedUse, Verdict, match_use
from catalogue.models import Dataset, MembershipRole
from catalogue.models.partners import FOR_PROFIT_KINDS
from catalogue.selectors import consent_conditions_of, mondo_lineage_of
from governance import policy
from governance.decision_rules import Outcome, decision_outcome
from governance.models import (
    VOTING_ROLES,
    AccessGrant,
    AccessRequest,
    AccessRequestItem,
    Comment,
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


def eligible_voter_ids(item: AccessRequestItem) -> set[int]:
    """Voting members (chair, member) of the item's DAC who are not recused from its request (policy)."""
    if item.dac_id is None:
        return set()
    voter_ids = set(
        DacMembership.objects.filter(dac_id=item.dac_id, role__in=VOTING_ROLES).values_list("user_id", flat=True)
    )
    return policy.eligible_voters(voter_ids, policy.voting_affiliations(voter_ids), item.request)


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
    return tally_of(item, eligible=eligible, decisions=decisions)


def tally_of(item: AccessRequestItem, *, eligible: set[int], decisions: list[str]) -> Tally:
    """What the item's DAC rule makes of ``decisions`` (the current round's votes of the ``eligible`` members)."""
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


def intended_use_of(access_request: AccessRequest, *, disease_lineage: frozenset[str] | None = None) -> IntendedUse:
    """The request's intended use for the matcher; ``disease_lineage`` (its MONDO term's id and ancestors'),
    when the caller already has it, saves walking the MONDO tree. The requesting institution is the request's
    partner; the countries of use are the ones the request declares."""
    disease = access_request.disease
    if disease_lineage is None:
        disease_lineage = mondo_lineage_of(disease)
    partner = access_request.partner
    return IntendedUse(
        purpose=access_request.purpose,
        disease_lineage=disease_lineage,
        disease_name=disease.display_name if disease else "",
        commercial=access_request.commercial,
        for_profit=partner.kind in FOR_PROFIT_KINDS,
        will_publish=access_request.will_publish,
        collaboration_with_holder=access_request.collaboration_with_holder,
        methods_development=access_request.methods_development,
        genetic_studies=access_request.genetic_studies,
        ethics_reference=access_request.ethics_reference,
        ethics_expiry=access_request.ethics_expiry,
        end=access_request.requested_end,
        publication_date=access_request.publication_date,
        countries=frozenset(access_request.countries_of_use),
        institution=partner.slug,
        institution_name=partner.name,
        sensitive=frozenset(access_request.sensitive_research),
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


def partners_where(user: AbstractBaseUser, role: str) -> list[int]:
    """Ids of the partners where ``user`` holds ``role`` (from the policy's membership facts)."""
    return sorted(policy.facts_for(user).membership.partners_with(role))


def requests_visible_to(user: AbstractBaseUser) -> QuerySet[AccessRequest]:
    """Requests ``user`` may read (governance.policy.can_view_request)."""
    return AccessRequest.objects.filter(policy.requests_visible_q(user))


def items_visible_to(user: AbstractBaseUser) -> QuerySet[AccessRequestItem]:
    """Items of visible requests; drafts only to the requester's side (governance.policy.can_view_item)."""
    return AccessRequestItem.objects.filter(policy.items_visible_q(user))


def review_queue_for(user: AbstractBaseUser) -> QuerySet[AccessRequestItem]:
    """Items under review where the user may vote (governance.policy.can_vote) and has not voted this round."""
    if not user.is_authenticated:
        return AccessRequestItem.objects.none()
    already_voted = Vote.objects.filter(item=OuterRef("pk"), member=user, review_round=OuterRef("review_round"))
    return (
        AccessRequestItem.objects.filter(policy.items_votable_q(user), state=ItemState.UNDER_REVIEW)
        .exclude(Exists(already_voted))
        .select_related("request", "dataset", "dac")
        .order_by("review_started_at")
    )


def comments_visible_to(user: AbstractBaseUser, access_request: AccessRequest) -> QuerySet[Comment]:
    """The request's comments ``user`` may read (governance.policy.comments_visible_q)."""
    return access_request.comments.filter(policy.comments_visible_q(user, access_request)).select_related(
        "author", "item__dataset"
    )


def agreements_visible_to(user: AbstractBaseUser) -> QuerySet[DataSharingAgreement]:
    """Agreements of visible requests, and those the requesting partner's curators may sign for it."""
    return DataSharingAgreement.objects.filter(policy.agreements_visible_q(user)).select_related(
        "holder", "requester_signed_by", "holder_signed_by"
    )


def grants_visible_to(user: AbstractBaseUser) -> QuerySet[AccessGrant]:
    """A grantee's own grants; the DAC's and the holder's grants on their items; all for administrators."""
    return AccessGrant.objects.filter(policy.grants_visible_q(user)).select_related(
        "item__dataset", "item__request", "grantee", "released_by", "revoked_by"
    )


def items_administered_by(user: AbstractBaseUser) -> QuerySet[AccessRequestItem]:
    """Submitted items ``user`` may release or revoke (governance.policy.can_administer)."""
    return (
        items_visible_to(user)
        .filter(policy.items_administered_q(user))
        .exclude(state=ItemState.DRAFT)
        .select_related("request__partner", "request__requester", "dataset__partner", "dac")
    )


def live_grant_for(user: AbstractBaseUser, dataset: Dataset, *, today: datetime.date) -> AccessGrant | None:
    return live_grants_for(user, [dataset.pk], today=today).get(dataset.pk)


def live_grants_for(
    user: AbstractBaseUser, dataset_ids: Iterable[int], *, today: datetime.date
) -> dict[int, AccessGrant]:
    """The user's live grant on each of the datasets that has one (the one lasting longest), in one query."""
    grants: dict[int, AccessGrant] = {}
    for grant in (
        AccessGrant.objects.filter(
            grantee_id=user.pk,
            item__dataset_id__in=list(dataset_ids),
            item__state=ItemState.RELEASED,
            revoked_at__isnull=True,
            expired_at__isnull=True,
            valid_until__gte=today,
        )
        .select_related("item")
        .order_by("-valid_until")
    ):
        grants.setdefault(grant.item.dataset_id, grant)
    return grants


def latest_grant_for(user: AbstractBaseUser, dataset: Dataset) -> AccessGrant | None:
    return AccessGrant.objects.filter(grantee_id=user.pk, item__dataset=dataset).order_by("-valid_from").first()


def audit_events_visible_to(user: AbstractBaseUser) -> QuerySet[AuditEvent]:
    """Events of requests the user made or whose items their DAC decides; everything for administrators.
    What a vote event says is for vote readers only: see :func:`readable_vote_event_ids`."""
    return AuditEvent.objects.filter(policy.audit_events_visible_q(user))


def readable_vote_event_ids(user: AbstractBaseUser, events: Iterable[AuditEvent]) -> set[int]:
    """Ids of the ``vote.cast`` events among ``events`` whose vote ``user`` may read (one query)."""
    vote_events = {event.object_id: event.pk for event in events if event.action == "vote.cast"}
    if not vote_events:
        return set()
    vote_ids = [int(object_id) for object_id in vote_events if object_id.isdigit()]
    readable = Vote.objects.filter(policy.votes_readable_q(user), pk__in=vote_ids).values_list("pk", flat=True)
    return {vote_events[str(pk)] for pk in readable}


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
