"""Who may do what in the catalogue: every rule written once, as a predicate and, for lists, a filter.

A predicate returns a :class:`Decision` — truthy only when allowed, with the reason a user is shown
either way — and reads nothing but the user's :class:`MembershipFacts`: their ``Membership`` rows
(partner → roles) and superuser flag, loaded in one query and cached on the user object for the rest
of the request. ``Membership`` rows are the one source of truth; the guardian object permissions that
``catalogue.services.memberships`` keeps in sync are a derived cache for the Django admin and for
``user.has_perm`` callers outside this code base, never read by the application's rules.

Services refuse with :func:`require`; selectors filter with the ``*_q`` functions; views, templates
and serializers only read decisions. ``governance.policy`` builds its facts on top of these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from catalogue.models import Dataset, DatasetStatus, Membership, MembershipRole, Partner

AnyUser = AbstractBaseUser | AnonymousUser
_CACHE_ATTRIBUTE = "_harmony_policy_facts"


@dataclass(frozen=True)
class Decision:
    """The answer of a rule: ``allowed`` and why (the message a refused user sees)."""

    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


def allow(reason: str = "") -> Decision:
    return Decision(True, reason)


def deny(reason: str) -> Decision:
    return Decision(False, reason)


def require(decision: Decision) -> None:
    """Raise ``PermissionDenied`` with the decision's reason unless it allows."""
    if not decision:
        raise PermissionDenied(decision.reason)


@dataclass(frozen=True)
class MembershipFacts:
    """Everything the rules know about a user: identity, superuser flag and roles per partner."""

    user_id: int | None
    is_superuser: bool = False
    partner_roles: dict[int, frozenset[str]] = field(default_factory=dict)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def partners_with(self, role: str) -> frozenset[int]:
        return frozenset(partner_id for partner_id, roles in self.partner_roles.items() if role in roles)

    def has_role(self, partner_id: int | None, role: str) -> bool:
        return role in self.partner_roles.get(partner_id or 0, frozenset())

    def is_affiliated(self, partner_id: int | None) -> bool:
        """Any role at the partner (curator, researcher, DAC member) counts as affiliation."""
        return (partner_id or 0) in self.partner_roles


ANONYMOUS = MembershipFacts(user_id=None)


def cached_facts(user: AnyUser, kind: str, load: Callable[[], Any]) -> Any:
    """``load()`` once per user object and ``kind`` of facts: the rules of one request share one load."""
    cache = user.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
    if kind not in cache:
        cache[kind] = load()
    return cache[kind]


def forget(user: Any) -> None:
    """Drop every fact cached on ``user`` (the membership services call it after changing their roles)."""
    user.__dict__.pop(_CACHE_ATTRIBUTE, None)


def membership_facts(user: AnyUser | None) -> MembershipFacts:
    """The user's facts, loaded once (one query) and cached on the user object.

    Inactive users have no rights: they get the anonymous facts. The membership services call
    :func:`forget` on the user they change, so a cached object never outlives a change made through it.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS

    def load() -> MembershipFacts:
        roles: dict[int, set[str]] = {}
        for partner_id, role in Membership.objects.filter(user_id=user.pk).values_list("partner_id", "role"):
            roles.setdefault(partner_id, set()).add(role)
        return MembershipFacts(
            user_id=user.pk,
            is_superuser=user.is_superuser,
            partner_roles={partner_id: frozenset(r) for partner_id, r in roles.items()},
        )

    return cached_facts(user, "membership", load)


def _partner_of(target: Partner | Dataset) -> Partner:
    return target.partner if isinstance(target, Dataset) else target


# --- curation -----------------------------------------------------------------------------------------


def can_curate(user: AnyUser | None, target: Partner | Dataset) -> Decision:
    """Register and change a partner's datasets (and their variables, consents, distributions):
    its curators, and superusers."""
    partner = _partner_of(target)
    facts = membership_facts(user)
    if facts.is_superuser:
        return allow("You are an administrator.")
    if facts.has_role(partner.pk, MembershipRole.CURATOR):
        return allow(f"You are a curator of {partner.name}.")
    return deny(_("Only curators of %(partner)s can register or change its datasets.") % {"partner": partner.name})


def partners_curated_q(user: AnyUser | None) -> Q:
    """Filter over ``Partner`` matching :func:`can_curate`."""
    facts = membership_facts(user)
    if facts.is_superuser:
        return Q()
    return Q(pk__in=sorted(facts.partners_with(MembershipRole.CURATOR)))


# --- visibility ---------------------------------------------------------------------------------------


def can_view_dataset(user: AnyUser | None, dataset: Dataset) -> Decision:
    """Published datasets for everyone; drafts and retired ones for the owning partner's curators and
    superusers (the same "not found" for everyone else, so their existence is not disclosed)."""
    if dataset.status == DatasetStatus.PUBLISHED:
        return allow("The dataset is published.")
    if can_curate(user, dataset):
        return allow(f"You curate {dataset.partner}.")
    return deny(_("No dataset matches the given query."))


def datasets_visible_q(user: AnyUser | None, *, include_retired: bool = False) -> Q:
    """Filter over ``Dataset`` matching :func:`can_view_dataset`; retired datasets only with ``include_retired``."""
    facts = membership_facts(user)
    hidden = [DatasetStatus.DRAFT, DatasetStatus.RETIRED] if include_retired else [DatasetStatus.DRAFT]
    if facts.is_superuser:
        return Q() if include_retired else ~Q(status=DatasetStatus.RETIRED)
    curated = sorted(facts.partners_with(MembershipRole.CURATOR))
    return Q(status=DatasetStatus.PUBLISHED) | Q(status__in=hidden, partner_id__in=curated)


def can_download_dictionary(user: AnyUser | None, dataset: Dataset) -> Decision:
    """The data dictionary as a file: for everyone who can see the dataset while its curators allow it (the
    default), and always for its curators."""
    if not can_view_dataset(user, dataset):
        return deny(_("No dataset matches the given query."))
    if can_curate(user, dataset):
        return allow(f"You curate {dataset.partner}.")
    if dataset.dictionary_downloadable:
        return allow("The curators let everyone download the data dictionary.")
    return deny(_("The curators of this dataset do not offer its data dictionary for download."))


# --- memberships --------------------------------------------------------------------------------------------------


def can_review_sign_ins(user: AnyUser | None, partner: Partner) -> Decision:
    """See the single sign-ins that claim an affiliation with ``partner``, with their claims, and its members: the
    partner's administrators, who are its curators and the alliance administrators (superusers)."""
    facts = membership_facts(user)
    if facts.is_superuser:
        return allow("You are an administrator.")
    if facts.has_role(partner.pk, MembershipRole.CURATOR):
        return allow(f"You are a curator of {partner.name}.")
    return deny(
        _("Only the administrators of %(partner)s can see who signs in claiming an affiliation with it.")
        % {"partner": partner.name}
    )


def can_confirm_membership(user: AnyUser | None, partner: Partner, role: str) -> Decision:
    """Confirm someone's ``role`` at ``partner``. A claim of the person's provider never does this by itself: a
    person does. The partner's curators confirm researchers; only alliance administrators give the roles that carry
    rights over data and decisions (curator, DAC member)."""
    facts = membership_facts(user)
    if facts.is_superuser:
        return allow("You are an administrator.")
    if facts.has_role(partner.pk, MembershipRole.CURATOR):
        if role == MembershipRole.RESEARCHER:
            return allow(f"You are a curator of {partner.name}.")
        return deny(_("Only the alliance's administrators can make someone a curator or a DAC member."))
    return deny(_("Only the administrators of %(partner)s can confirm its memberships.") % {"partner": partner.name})
