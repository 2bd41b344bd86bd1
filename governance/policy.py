"""Who may do what in the governance workflow: every rule written once, as a predicate returning a
:class:`~catalogue.policy.Decision` and, for lists, a ``Q`` filter that selects the same objects.

Facts. Every rule reads one :class:`GovernanceFacts` per user — their ``Membership`` rows (partner →
roles, from ``catalogue.policy``), their ``DacMembership`` rows (committee → role) and the superuser
flag — loaded in two queries and cached on the user object for the request. These rows are the only
source of truth; guardian's object permissions are a derived cache that no rule reads.

Recusal and separation of duties (one rule, :func:`recusal_reason`). The *requesting side* of a request
is its requester and everyone with any role at the requesting partner — co-researchers and curators
included, since they share the requester's interest. Someone on the requesting side is recused: they
can never vote, ask for changes, read the committee's votes or committee-only comments, sign the
holder's side of an agreement, release, revoke or otherwise administer the request's items, whatever
other roles they hold (chair or secretary of the deciding committee, curator at the holder,
superuser). They keep what the requesting side does anyway: reading the request, signing the
requester's side (the requester and the requesting partner's curators), commenting.

Superusers (alliance administrators) read everything and may release and revoke (an emergency stop)
unless they are on the requesting side; they do not vote and do not sign for a partner they are not
a curator of, so no one completes a request alone.

Callers: services ``require(...)`` a decision (refusing with its reason); selectors filter with the
``*_q`` functions; views, templates (``governance_ui.decide``), serializers and permission classes only
read decisions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.models import Dataset, Distribution, Membership, MembershipRole, Partner
from catalogue.policy import (
    AnyUser,
    Decision,
    MembershipFacts,
    allow,
    cached_facts,
    datasets_visible_q,
    deny,
    membership_facts,
)
from governance.errors import NotPermitted
from governance.models import (
    VOTING_ROLES,
    AccessGrant,
    AccessRequest,
    AccessRequestItem,
    DacMembership,
    DacRole,
    DataSharingAgreement,
    ItemState,
)

__all__ = ["Decision", "GovernanceFacts", "facts_for", "require"]

# Holders see a request once one of their datasets' items is submitted: they follow it through review to the
# agreement they sign and the release they make ("Requests for my data" lists the ones under review or closed too).
HOLDER_VISIBLE_STATES = tuple(state for state in ItemState if state != ItemState.DRAFT)
ADMINISTERING_ROLES = frozenset({DacRole.CHAIR, DacRole.SECRETARY})

NOT_A_MEMBER = gettext_lazy("You are not a member of the data access committee deciding this item.")
RELEASE_REFUSED = gettext_lazy("Only the data holder's curators or the DAC's chair or secretary can release data.")
REVOKE_REFUSED = gettext_lazy("Only the data holder's curators or the DAC's chair or secretary can revoke access.")
VOTES_REFUSED = gettext_lazy("Only the deciding DAC can read the votes.")
COMMITTEE_COMMENTS_REFUSED = gettext_lazy("Only members of a deciding DAC can write DAC-only comments.")


def require(decision: Decision) -> None:
    """Raise ``NotPermitted`` with the decision's reason unless it allows."""
    if not decision:
        raise NotPermitted(decision.reason)


@dataclass(frozen=True)
class GovernanceFacts:
    """A user's partner roles (``membership``) and committee seats (committee id → role)."""

    membership: MembershipFacts
    dac_roles: dict[int, str] = field(default_factory=dict)

    @property
    def user_id(self) -> int | None:
        return self.membership.user_id

    @property
    def is_superuser(self) -> bool:
        return self.membership.is_superuser

    def dacs_with(self, roles: Iterable[str]) -> frozenset[int]:
        wanted = frozenset(roles)
        return frozenset(dac_id for dac_id, role in self.dac_roles.items() if role in wanted)

    @property
    def dac_ids(self) -> frozenset[int]:
        return frozenset(self.dac_roles)


def facts_for(user: AnyUser | None) -> GovernanceFacts:
    """The user's facts: two queries the first time, then cached on the user object."""
    membership = membership_facts(user)
    if user is None or membership.user_id is None:
        return GovernanceFacts(membership)

    def load() -> GovernanceFacts:
        seats = dict(DacMembership.objects.filter(user_id=membership.user_id).values_list("dac_id", "role"))
        return GovernanceFacts(membership, seats)

    return cached_facts(user, "governance", load)


# --- recusal: the one rule ---------------------------------------------------------------------------


def recusal_reason(
    *, user_id: int | None, affiliated_partner_ids: Iterable[int], access_request: AccessRequest
) -> str | None:
    """Why the person is on the requesting side of ``access_request`` (and so recused), or None.

    The requester is; so is anyone with any role at the requesting partner. This is the only place
    the rule is written: the policy's predicates and filters, and the tally's eligible voters
    (:func:`eligible_voters`), all come here.
    """
    if user_id is not None and user_id == access_request.requester_id:
        return _("You are the requester of this request.")
    if access_request.partner_id in set(affiliated_partner_ids):
        return _("You are affiliated with the requesting partner %(partner)s.") % {"partner": access_request.partner}
    return None


def _recusal(facts: GovernanceFacts, access_request: AccessRequest) -> str | None:
    return recusal_reason(
        user_id=facts.user_id, affiliated_partner_ids=facts.membership.partner_roles, access_request=access_request
    )


def is_recused(user: AnyUser | None, target: AccessRequest | AccessRequestItem) -> Decision:
    """True (with the reason) when ``user`` is on the requesting side of the request or item."""
    access_request = target.request if isinstance(target, AccessRequestItem) else target
    reason = _recusal(facts_for(user), access_request)
    return Decision(reason is not None, reason or "You are not recused.")


def eligible_voters(
    voters: Iterable[int], affiliations: dict[int, set[int]], access_request: AccessRequest
) -> set[int]:
    """The voting members ``voters`` of a committee who are not recused from ``access_request``;
    ``affiliations`` maps a user id to the partners where they hold any role."""
    return {
        user_id
        for user_id in voters
        if recusal_reason(
            user_id=user_id, affiliated_partner_ids=affiliations.get(user_id, ()), access_request=access_request
        )
        is None
    }


def voting_affiliations(user_ids: Iterable[int]) -> dict[int, set[int]]:
    """Partners where each user holds any role (one query), for :func:`eligible_voters`."""
    affiliations: dict[int, set[int]] = {}
    for user_id, partner_id in Membership.objects.filter(user_id__in=set(user_ids)).values_list(
        "user_id", "partner_id"
    ):
        affiliations.setdefault(user_id, set()).add(partner_id)
    return affiliations


def _requesting_side_q(facts: GovernanceFacts, prefix: str = "") -> Q:
    """Filter over requests (fields under ``prefix``) where the user is on the requesting side."""
    return Q(**{f"{prefix}requester_id": facts.user_id}) | Q(
        **{f"{prefix}partner_id__in": sorted(facts.membership.partner_roles)}
    )


# --- reading requests --------------------------------------------------------------------------------


def _own_side(facts: GovernanceFacts, access_request: AccessRequest) -> bool:
    """The requester and the requesting partner's researchers (who read, and see drafts)."""
    return facts.user_id == access_request.requester_id or facts.membership.has_role(
        access_request.partner_id, MembershipRole.RESEARCHER
    )


def can_view_request(user: AnyUser | None, access_request: AccessRequest) -> Decision:
    """The requester and their partner's researchers; the committees deciding a submitted item; the
    holders' curators once one of their items is submitted; administrators. (Reads the items.)"""
    facts = facts_for(user)
    if facts.user_id is None:
        return deny(_("Sign in to see access requests."))
    if facts.is_superuser:
        return allow("You are an administrator.")
    if _own_side(facts, access_request):
        return allow("You are on the requesting side.")
    curated = facts.membership.partners_with(MembershipRole.CURATOR)
    for item in access_request.items.all():
        if item.state != ItemState.DRAFT and item.dac_id in facts.dac_roles:
            return allow("Your committee decides an item of this request.")
        if item.state in HOLDER_VISIBLE_STATES and item.dataset.partner_id in curated:
            return allow("You curate the data holder of a requested dataset.")
    return deny(_("No access request matches the given query."))


def requests_visible_q(user: AnyUser | None) -> Q:
    """Filter over ``AccessRequest`` matching :func:`can_view_request`."""
    facts = facts_for(user)
    if facts.user_id is None:
        return Q(pk__in=[])
    if facts.is_superuser:
        return Q()
    dac_items = AccessRequestItem.objects.filter(dac_id__in=sorted(facts.dac_ids)).exclude(state=ItemState.DRAFT)
    holder_items = AccessRequestItem.objects.filter(
        dataset__partner_id__in=sorted(facts.membership.partners_with(MembershipRole.CURATOR)),
        state__in=HOLDER_VISIBLE_STATES,
    )
    return (
        Q(requester_id=facts.user_id)
        | Q(partner_id__in=sorted(facts.membership.partners_with(MembershipRole.RESEARCHER)))
        | Q(id__in=dac_items.values("request_id"))
        | Q(id__in=holder_items.values("request_id"))
    )


def can_view_item(user: AnyUser | None, item: AccessRequestItem) -> Decision:
    """Items of visible requests; a draft item only to the requesting side (and administrators)."""
    decision = can_view_request(user, item.request)
    if not decision:
        return decision
    facts = facts_for(user)
    if item.state == ItemState.DRAFT and not facts.is_superuser and not _own_side(facts, item.request):
        return deny(_("No access request item matches the given query."))
    return decision


def items_visible_q(user: AnyUser | None) -> Q:
    """Filter over ``AccessRequestItem`` matching :func:`can_view_item`."""
    facts = facts_for(user)
    visible = Q(request__in=AccessRequest.objects.filter(requests_visible_q(user)))
    if facts.user_id is None or facts.is_superuser:
        return visible
    own_side = Q(request__requester_id=facts.user_id) | Q(
        request__partner_id__in=sorted(facts.membership.partners_with(MembershipRole.RESEARCHER))
    )
    return visible & (own_side | ~Q(state=ItemState.DRAFT))


# --- the requester's actions ------------------------------------------------------------------------


def can_request_for(user: AnyUser | None, partner: Partner) -> Decision:
    """Draft a request on behalf of ``partner``: its researchers."""
    if facts_for(user).membership.has_role(partner.pk, MembershipRole.RESEARCHER):
        return allow(f"You are a researcher at {partner}.")
    return deny(
        _("You can request access only on behalf of a partner where you are a researcher; %(partner)s is not.")
        % {"partner": partner}
    )


def _requester_only(user: AnyUser | None, access_request: AccessRequest, refusal: str) -> Decision:
    if facts_for(user).user_id == access_request.requester_id:
        return allow("You are the requester.")
    return deny(refusal)


def can_edit_request(user: AnyUser | None, access_request: AccessRequest) -> Decision:
    """Change or delete the request (its state decides what may change): the requester only."""
    return _requester_only(user, access_request, _("Only the requester can change this request."))


def can_submit(user: AnyUser | None, access_request: AccessRequest) -> Decision:
    """Submit and resubmit: the requester only."""
    return _requester_only(user, access_request, _("Only the requester can submit this request."))


def can_withdraw(user: AnyUser | None, access_request: AccessRequest) -> Decision:
    """Withdraw the request or one of its items: the requester only."""
    return _requester_only(user, access_request, _("Only the requester can withdraw this request."))


# --- documents and decision letters -----------------------------------------------------------------


def can_view_request_documents(user: AnyUser | None, access_request: AccessRequest) -> Decision:
    """List and download the documents attached to a request: whoever may read the request
    (:func:`can_view_request` — the requesting side, the deciding committees, the holders' curators once an
    item is submitted, administrators)."""
    decision = can_view_request(user, access_request)
    if not decision:
        return deny("No access request matches the given query.")
    return allow("You may read this request and its documents.")


def can_change_request_documents(user: AnyUser | None, access_request: AccessRequest) -> Decision:
    """Attach or remove documents (whether they may change now is the request's state: the service decides):
    the requester only."""
    return _requester_only(user, access_request, _("Only the requester can attach documents to this request."))


def can_read_decision_letter(user: AnyUser | None, item: AccessRequestItem) -> Decision:
    """Read the decision letters of an item (the page and the PDF): whoever may read the item
    (:func:`can_view_item`): the requester they are written to, their side, the committee that wrote them,
    the holder's curators, administrators."""
    decision = can_view_item(user, item)
    if not decision:
        return deny("No decision letter matches the given query.")
    return allow("You may read this item's decision letters.")


# --- the committee's actions ------------------------------------------------------------------------


def _seat(facts: GovernanceFacts, item: AccessRequestItem) -> str | None:
    return facts.dac_roles.get(item.dac_id) if item.dac_id is not None else None


def can_vote(user: AnyUser | None, item: AccessRequestItem) -> Decision:
    """Chair and members of the deciding committee who are not recused (secretaries do not vote)."""
    facts = facts_for(user)
    seat = _seat(facts, item)
    if seat is None:
        return deny(NOT_A_MEMBER)
    if seat not in VOTING_ROLES:
        return deny(_("DAC secretaries do not vote."))
    reason = _recusal(facts, item.request)
    if reason:
        return deny(_("You are recused from this request: %(reason)s") % {"reason": reason})
    return allow(f"You are a voting member of {item.dac}.")


def items_votable_q(user: AnyUser | None) -> Q:
    """Filter over ``AccessRequestItem``: items whose committee the user votes in and from whose request
    they are not recused (state and "not voted yet" are the review queue's business)."""
    facts = facts_for(user)
    if facts.user_id is None:
        return Q(pk__in=[])
    return Q(dac_id__in=sorted(facts.dacs_with(VOTING_ROLES))) & ~_requesting_side_q(facts, "request__")


def can_request_changes(user: AnyUser | None, item: AccessRequestItem) -> Decision:
    """Send the item back without a vote — the officers' procedural power: the chair and the secretary of
    the deciding committee, unless recused (a recused chair included). Members ask for changes by voting."""
    facts = facts_for(user)
    seat = _seat(facts, item)
    if seat is None:
        return deny(NOT_A_MEMBER)
    if seat not in ADMINISTERING_ROLES:
        return deny(_("Members ask for changes by voting; the committee's rule decides."))
    reason = _recusal(facts, item.request)
    if reason:
        return deny(_("You are recused from this request: %(reason)s") % {"reason": reason})
    return allow(f"You are an officer of {item.dac}.")


def can_read_votes(user: AnyUser | None, item: AccessRequestItem) -> Decision:
    """Votes are the deciding committee's business: its members who are not recused, and
    administrators who are not on the requesting side."""
    facts = facts_for(user)
    if facts.user_id is None:
        return deny(VOTES_REFUSED)
    if not facts.is_superuser and _seat(facts, item) is None:
        return deny(VOTES_REFUSED)
    reason = _recusal(facts, item.request)
    if reason:
        return deny(
            _("%(refusal)s You are recused from this request: %(reason)s")
            % {"refusal": VOTES_REFUSED, "reason": reason}
        )
    return allow("You are on the deciding committee.")


def votes_readable_q(user: AnyUser | None) -> Q:
    """Filter over ``Vote`` matching :func:`can_read_votes`."""
    facts = facts_for(user)
    if facts.user_id is None:
        return Q(pk__in=[])
    unrecused = ~_requesting_side_q(facts, "item__request__")
    if facts.is_superuser:
        return unrecused
    return Q(item__dac_id__in=sorted(facts.dac_ids)) & unrecused


def _deciding_dac_ids(access_request: AccessRequest) -> set[int]:
    return {item.dac_id for item in access_request.items.all() if item.dac_id is not None}


def can_read_committee_comments(user: AnyUser | None, access_request: AccessRequest) -> Decision:
    """Read and write committee-only comments on the request: members of a committee deciding one of its
    items who are not recused, and administrators not on the requesting side. Each member reads only
    their own committee's comments (:func:`comments_visible_q`)."""
    facts = facts_for(user)
    if facts.user_id is None:
        return deny(COMMITTEE_COMMENTS_REFUSED)
    if not facts.is_superuser and not (facts.dac_ids & _deciding_dac_ids(access_request)):
        return deny(COMMITTEE_COMMENTS_REFUSED)
    reason = _recusal(facts, access_request)
    if reason:
        return deny(_("You are recused from this request: %(reason)s") % {"reason": reason})
    return allow("You sit on a deciding committee.")


def can_comment(user: AnyUser | None, access_request: AccessRequest, *, dac_only: bool = False) -> Decision:
    """Comment on a request you can see; committee-only comments per :func:`can_read_committee_comments`."""
    if not can_view_request(user, access_request):
        return deny(_("You cannot comment on this request."))
    if dac_only:
        return can_read_committee_comments(user, access_request)
    return allow("You can see this request.")


def comments_visible_q(user: AnyUser | None, access_request: AccessRequest) -> Q:
    """Filter over the request's ``Comment`` rows: public ones for everyone who sees the request;
    a committee-only comment for the unrecused members of its committee — the item's committee, or for a
    comment on the whole request the committees its author sits on — and unrecused administrators."""
    facts = facts_for(user)
    public = Q(dac_only=False)
    if facts.user_id is None or _recusal(facts, access_request):
        return public
    if facts.is_superuser:
        return Q()
    mine = sorted(facts.dac_ids & _deciding_dac_ids(access_request))
    authors = DacMembership.objects.filter(dac_id__in=mine).values("user_id")
    return public | Q(item__dac_id__in=mine) | Q(item__isnull=True, author_id__in=authors)


# --- agreements, release, revocation ----------------------------------------------------------------


def _holder_dac_ids(agreement: DataSharingAgreement) -> set[int]:
    return {
        item.dac_id
        for item in agreement.request.items.all()
        if item.dataset.partner_id == agreement.holder_id and item.dac_id is not None
    }


def can_sign(user: AnyUser | None, agreement: DataSharingAgreement, side: str) -> Decision:
    """Requester side: the requester or a curator of the requesting partner. Holder side: a curator of the
    holder, or the chair or secretary of a committee deciding one of the holder's items in the request —
    never anyone on the requesting side. Signatures are personal: superusers sign only where they are curators."""
    facts = facts_for(user)
    access_request = agreement.request
    if side == "requester":
        if facts.user_id == access_request.requester_id or facts.membership.has_role(
            access_request.partner_id, MembershipRole.CURATOR
        ):
            return allow(f"You sign for {access_request.partner}.")
        return deny(_("You cannot sign this agreement on behalf of %(partner)s.") % {"partner": access_request.partner})
    if side != "holder":
        return deny(_("Side must be “requester” or “holder”."))
    refused = deny(_("You cannot sign this agreement on behalf of %(partner)s.") % {"partner": agreement.holder})
    holder_curator = facts.membership.has_role(agreement.holder_id, MembershipRole.CURATOR)
    if not holder_curator and not (facts.dacs_with(ADMINISTERING_ROLES) & _holder_dac_ids(agreement)):
        return refused
    reason = _recusal(facts, access_request)
    if reason:
        return deny(
            _("%(refusal)s You are on the requesting side: %(reason)s") % {"refusal": refused.reason, "reason": reason}
        )
    return allow(f"You sign for {agreement.holder}.")


def can_administer(user: AnyUser | None, item: AccessRequestItem, *, refusal: str = RELEASE_REFUSED) -> Decision:
    """Release and revoke the item: the holder's curators, the deciding committee's chair and secretary,
    administrators — none of them if they are on the requesting side."""
    facts = facts_for(user)
    if facts.user_id is None:
        return deny(refusal)
    entitled = (
        facts.is_superuser
        or facts.membership.has_role(item.dataset.partner_id, MembershipRole.CURATOR)
        or _seat(facts, item) in ADMINISTERING_ROLES
    )
    if not entitled:
        return deny(refusal)
    reason = _recusal(facts, item.request)
    if reason:
        return deny(
            _("%(refusal)s You are on the requesting side: %(reason)s") % {"refusal": refusal, "reason": reason}
        )
    return allow("You administer this item for the data holder.")


def items_administered_q(user: AnyUser | None) -> Q:
    """Filter over ``AccessRequestItem`` matching :func:`can_administer`."""
    facts = facts_for(user)
    if facts.user_id is None:
        return Q(pk__in=[])
    unrecused = ~_requesting_side_q(facts, "request__")
    if facts.is_superuser:
        return unrecused
    curated = sorted(facts.membership.partners_with(MembershipRole.CURATOR))
    seats = sorted(facts.dacs_with(ADMINISTERING_ROLES))
    return (Q(dataset__partner_id__in=curated) | Q(dac_id__in=seats)) & unrecused


def can_release(user: AnyUser | None, item: AccessRequestItem) -> Decision:
    """Release the item (its state and the release gate are the workflow's business): :func:`can_administer`."""
    return can_administer(user, item, refusal=RELEASE_REFUSED)


def can_revoke(user: AnyUser | None, grant: AccessGrant) -> Decision:
    """End a live grant at once: :func:`can_administer` on its item."""
    return can_administer(user, grant.item, refusal=REVOKE_REFUSED)


def agreements_visible_q(user: AnyUser | None) -> Q:
    """Filter over ``DataSharingAgreement``: those of visible requests, and those the requesting
    partner's curators may sign for it."""
    facts = facts_for(user)
    if facts.user_id is None:
        return Q(pk__in=[])
    return Q(request__in=AccessRequest.objects.filter(requests_visible_q(user))) | Q(
        request__partner_id__in=sorted(facts.membership.partners_with(MembershipRole.CURATOR))
    )


def grants_visible_q(user: AnyUser | None) -> Q:
    """Filter over ``AccessGrant``: the grantee's own; those on items the user's committee decides or
    their partner holds; all for administrators."""
    facts = facts_for(user)
    if facts.user_id is None:
        return Q(pk__in=[])
    if facts.is_superuser:
        return Q()
    return (
        Q(grantee_id=facts.user_id)
        | Q(item__dac_id__in=sorted(facts.dac_ids))
        | Q(item__dataset__partner_id__in=sorted(facts.membership.partners_with(MembershipRole.CURATOR)))
    )


# --- downloads ---------------------------------------------------------------------------------------


def can_download(user: AnyUser | None, distribution: Distribution, grant: AccessGrant | None) -> Decision:
    """Download a registry-held file: ``grant`` — the user's live grant on its dataset, looked up by the
    caller — must exist and be theirs, on this dataset. (Which distributions can be asked for at all:
    :func:`distributions_findable_q`.)"""
    facts = facts_for(user)
    if (
        facts.user_id is None
        or grant is None
        or grant.grantee_id != facts.user_id
        or grant.item.dataset_id != distribution.dataset_id
    ):
        return deny(_("You have no access grant for this dataset."))
    return allow("You hold a live access grant for this dataset.")


def distributions_findable_q(user: AnyUser | None) -> Q:
    """Filter over ``Distribution``: those of datasets the user may see, and of datasets they were ever
    granted (so a grantee is told why a retired dataset's file is closed to them). Anything else is
    answered exactly like a distribution that does not exist."""
    facts = facts_for(user)
    visible = Q(dataset__in=Dataset.objects.filter(datasets_visible_q(user, include_retired=True)).values("pk"))
    if facts.user_id is None:
        return visible
    granted = AccessGrant.objects.filter(grantee_id=facts.user_id).values("item__dataset_id")
    return visible | Q(dataset_id__in=granted)


# --- the audit trail --------------------------------------------------------------------------------


def can_read_audit(user: AnyUser | None, access_request: AccessRequest) -> Decision:
    """Read a request's audit trail: its requester, the members of a committee deciding a submitted item,
    administrators. The content of vote events only for those who may read the votes (:func:`can_read_votes`)."""
    facts = facts_for(user)
    if facts.user_id is None:
        return deny(_("Sign in to read the audit trail."))
    if facts.is_superuser or facts.user_id == access_request.requester_id:
        return allow("You may read this request's audit trail.")
    for item in access_request.items.all():
        if item.dac_id in facts.dac_roles and item.submitted_at is not None:
            return allow("Your committee decides an item of this request.")
    return deny(_("You cannot read this request's audit trail."))


def audit_events_visible_q(user: AnyUser | None) -> Q:
    """Filter over ``AuditEvent`` matching :func:`can_read_audit`. A ``vote.cast`` event carries the
    member's decision and comment: callers show them only where :func:`votes_readable_q` allows
    (governance.selectors.readable_vote_event_ids)."""
    facts = facts_for(user)
    if facts.user_id is None:
        return Q(pk__in=[])
    if facts.is_superuser:
        return Q()
    request_ids = AccessRequest.objects.filter(
        Q(requester_id=facts.user_id) | Q(items__dac_id__in=sorted(facts.dac_ids), items__submitted_at__isnull=False)
    ).values("id")
    return Q(access_request_id__in=request_ids)


def can_set_agreement_template(user: AnyUser | None, partner: Partner) -> Decision:
    """Set a data holder's data-sharing agreement template: administrators and the partner's curators."""
    facts = facts_for(user)
    if facts.is_superuser or facts.membership.has_role(partner.pk, MembershipRole.CURATOR):
        return allow(f"You may set the agreement template of {partner}.")
    return deny(_("Only administrators and curators of %(partner)s set its agreement template.") % {"partner": partner})


def can_download_agreement(user: AnyUser | None, agreement: DataSharingAgreement) -> Decision:
    """The PDF of a signed agreement: whoever may see the agreement (both sides, the deciding committees'
    officers, administrators), once both sides have signed."""
    if not agreement.is_complete:
        return deny(_("The agreement is not signed by both sides yet."))
    if DataSharingAgreement.objects.filter(agreements_visible_q(user), pk=agreement.pk).exists():
        return allow("You may read this agreement.")
    return deny(_("No data-sharing agreement matches the given query."))
