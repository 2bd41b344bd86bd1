"""Governance writes that are not item transitions: committees and their members, dataset assignment,
drafting requests, comments, downloads, reminders and the inbox. Transitions live in governance.workflow.

Every function is keyword-only, atomic, audited where it changes rights or requests.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from catalogue.models import Dataset, DatasetStatus, Distribution, DistributionKind, Membership, MembershipRole, Partner
from catalogue.models import Variable as CatalogueVariable
from governance import selectors
from governance.audit import audit_record
from governance.errors import InvalidTransition, NotPermitted, RuleViolation
from governance.models import (
    AccessRequest,
    AccessRequestItem,
    Comment,
    DacMembership,
    DacRole,
    DataAccessCommittee,
    DatasetGovernance,
    DecisionRule,
    Download,
    ItemState,
    Notification,
    Vote,
)
from governance.notifications import notify
from governance.workflow import grant_expire

# --- committees -------------------------------------------------------------------------------------

ROLE_PERMISSIONS = {
    DacRole.CHAIR: ("governance.review_dac", "governance.vote_dac", "governance.administer_dac"),
    DacRole.MEMBER: ("governance.review_dac", "governance.vote_dac"),
    DacRole.SECRETARY: ("governance.review_dac", "governance.administer_dac"),
}
ALL_DAC_PERMISSIONS = ("governance.review_dac", "governance.vote_dac", "governance.administer_dac")


@transaction.atomic
def dac_create(
    *,
    name: str,
    partner: Partner | None,
    decision_rule: str = DecisionRule.MAJORITY,
    quorum_k: int | None = None,
    target_days: int = 14,
    actor: AbstractBaseUser | None = None,
) -> DataAccessCommittee:
    if decision_rule not in DecisionRule.values:
        raise RuleViolation(f"Unknown decision rule {decision_rule!r}.", field="decision_rule")
    if decision_rule == DecisionRule.QUORUM and not quorum_k:
        raise RuleViolation("The quorum rule needs the number of approvals (quorum_k).", field="quorum_k")
    dac = DataAccessCommittee.objects.create(
        name=name, partner=partner, decision_rule=decision_rule, quorum_k=quorum_k, target_days=target_days
    )
    audit_record(
        actor=actor,
        action="dac.create",
        obj=dac,
        after={
            "name": name,
            "partner_id": partner.pk if partner else None,
            "rule": decision_rule,
            "quorum_k": quorum_k,
        },
    )
    return dac


def _sync_dac_permissions(*, user: AbstractBaseUser, dac: DataAccessCommittee, role: str | None) -> None:
    granted = set(ROLE_PERMISSIONS.get(role, ())) if role else set()
    for perm in ALL_DAC_PERMISSIONS:
        if perm in granted:
            assign_perm(perm, user, dac)
        else:
            remove_perm(perm, user, dac)


@transaction.atomic
def dac_member_set(
    *, dac: DataAccessCommittee, user: AbstractBaseUser, role: str, actor: AbstractBaseUser | None = None
) -> DacMembership:
    """Make ``user`` a ``role`` of ``dac`` (adding or changing the role); mirrors guardian permissions; audited."""
    if role not in DacRole.values:
        raise RuleViolation(f"Unknown DAC role {role!r}.", field="role")
    membership = DacMembership.objects.select_for_update().filter(dac=dac, user=user).first()
    before = {"role": membership.role} if membership else {}
    if membership is None:
        membership = DacMembership.objects.create(dac=dac, user=user, role=role)
    else:
        membership.role = role
        membership.save(update_fields=["role"])
    _sync_dac_permissions(user=user, dac=dac, role=role)
    audit_record(
        actor=actor,
        action="dac.member_set",
        obj=membership,
        before=before,
        after={"dac_id": dac.pk, "user_id": user.pk, "role": role, "permissions": list(ROLE_PERMISSIONS[role])},
    )
    return membership


@transaction.atomic
def dac_member_remove(*, membership: DacMembership, actor: AbstractBaseUser | None = None) -> None:
    audit_record(
        actor=actor,
        action="dac.member_remove",
        obj=membership,
        before={"dac_id": membership.dac_id, "user_id": membership.user_id, "role": membership.role},
    )
    _sync_dac_permissions(user=membership.user, dac=membership.dac, role=None)
    membership.delete()


@transaction.atomic
def dataset_governance_assign(
    *, dataset: Dataset, dac: DataAccessCommittee, actor: AbstractBaseUser | None = None
) -> DatasetGovernance:
    """Let ``dac`` govern ``dataset`` from now on (items already submitted keep their DAC)."""
    previous = selectors.dac_for_dataset(dataset)
    governance, _ = DatasetGovernance.objects.update_or_create(dataset=dataset, defaults={"dac": dac})
    audit_record(
        actor=actor,
        action="dataset.governance_assign",
        obj=governance,
        before={"dac_id": previous.pk if previous else None},
        after={"dataset_id": dataset.pk, "dac_id": dac.pk},
    )
    return governance


# --- drafting requests ------------------------------------------------------------------------------

EDITABLE_FIELDS = (
    "title",
    "lay_summary",
    "scientific_aims",
    "purpose",
    "disease",
    "commercial",
    "will_publish",
    "collaboration_with_holder",
    "methods_development",
    "genetic_studies",
    "requested_start",
    "requested_end",
    "ethics_reference",
    "ethics_expiry",
)


@dataclass(frozen=True)
class ItemSpec:
    """A requested dataset and, optionally, the subset of its variables."""

    dataset: Dataset
    variables: Sequence[CatalogueVariable] = ()


def _field_value(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _validate_fields(values: dict[str, Any]) -> None:
    if values.get("purpose") == "DS" and values.get("disease") is None:
        raise RuleViolation("Disease-specific research must name the disease.", field="disease")
    start, end = values.get("requested_start"), values.get("requested_end")
    if start and end and start >= end:
        raise RuleViolation("The requested end must be after the start.", field="requested_end")


def _validate_items(items: Sequence[ItemSpec]) -> None:
    seen = set()
    for spec in items:
        if spec.dataset.status != DatasetStatus.PUBLISHED:
            raise RuleViolation(f"The dataset “{spec.dataset}” is not published.", field="items")
        if spec.dataset.pk in seen:
            raise RuleViolation(f"The dataset “{spec.dataset}” is requested twice.", field="items")
        seen.add(spec.dataset.pk)
        foreign = [variable.name for variable in spec.variables if variable.dataset_id != spec.dataset.pk]
        if foreign:
            raise RuleViolation(
                f"Variables {', '.join(sorted(foreign))} do not belong to “{spec.dataset}”.", field="items"
            )


def _replace_items(access_request: AccessRequest, items: Sequence[ItemSpec]) -> None:
    access_request.items.all().delete()
    for spec in items:
        item = AccessRequestItem.objects.create(request=access_request, dataset=spec.dataset)
        item.variables.set(spec.variables)


def _items_summary(items: Sequence[ItemSpec]) -> list[dict[str, Any]]:
    return [{"dataset_id": spec.dataset.pk, "variable_ids": sorted(v.pk for v in spec.variables)} for spec in items]


@transaction.atomic
def request_create(
    *, requester: AbstractBaseUser, partner: Partner, items: Sequence[ItemSpec] = (), **fields: Any
) -> AccessRequest:
    """Draft a request on behalf of ``partner``, where the requester must be a researcher."""
    if not Membership.objects.filter(user_id=requester.pk, partner=partner, role=MembershipRole.RESEARCHER).exists():
        raise NotPermitted(
            f"You can request access only on behalf of a partner where you are a researcher; {partner} is not."
        )
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise RuleViolation(f"Unknown fields: {', '.join(sorted(unknown))}.")
    _validate_fields(fields)
    _validate_items(items)
    access_request = AccessRequest.objects.create(requester=requester, partner=partner, **fields)
    _replace_items(access_request, items)
    audit_record(
        actor=requester,
        action="request.create",
        obj=access_request,
        after={
            **{k: _field_value(v) for k, v in fields.items()},
            "partner_id": partner.pk,
            "items": _items_summary(items),
        },
        access_request_id=access_request.pk,
    )
    return access_request


@transaction.atomic
def request_update(
    *,
    access_request: AccessRequest,
    actor: AbstractBaseUser,
    items: Sequence[ItemSpec] | None = None,
    **fields: Any,
) -> AccessRequest:
    """Change a request: everything while all its items are drafts; its text and use (not its datasets)
    while an item is waiting for changes. Audited with before/after of the changed fields."""
    access_request = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if actor.pk != access_request.requester_id:
        raise NotPermitted("Only the requester can change this request.")
    states = set(access_request.items.values_list("state", flat=True))
    is_draft = states <= {ItemState.DRAFT}
    if not is_draft and ItemState.CHANGES_REQUESTED not in states:
        state = selectors.state_from_item_states(list(states)).replace("_", " ")
        raise InvalidTransition(f"This request can no longer be edited: it is {state}.")
    if items is not None and not is_draft:
        raise InvalidTransition("The datasets of a submitted request cannot be changed; withdraw items instead.")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise RuleViolation(f"Unknown fields: {', '.join(sorted(unknown))}.")
    merged = {name: getattr(access_request, name) for name in EDITABLE_FIELDS} | fields
    _validate_fields(merged)
    before, after = {}, {}
    for name, value in fields.items():
        old = getattr(access_request, name)
        if old != value:
            before[name], after[name] = _field_value(old), _field_value(value)
            setattr(access_request, name, value)
    access_request.save()
    if items is not None:
        _validate_items(items)
        before["items"] = [
            {"dataset_id": item.dataset_id, "variable_ids": sorted(item.variables.values_list("pk", flat=True))}
            for item in access_request.items.order_by("id")
        ]
        _replace_items(access_request, items)
        after["items"] = _items_summary(items)
    if before or after:
        audit_record(
            actor=actor,
            action="request.update",
            obj=access_request,
            before=before,
            after=after,
            access_request_id=access_request.pk,
        )
    return access_request


@transaction.atomic
def request_delete(*, access_request: AccessRequest, actor: AbstractBaseUser) -> None:
    """Delete a request that was never submitted (afterwards it can only be withdrawn)."""
    access_request = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if actor.pk != access_request.requester_id:
        raise NotPermitted("Only the requester can delete this request.")
    if access_request.items.exclude(state=ItemState.DRAFT).exists():
        raise InvalidTransition("A submitted request cannot be deleted; withdraw it instead.")
    audit_record(
        actor=actor,
        action="request.delete",
        obj=access_request,
        before={"title": access_request.title},
        access_request_id=access_request.pk,
    )
    access_request.delete()


# --- comments ---------------------------------------------------------------------------------------


@transaction.atomic
def comment_add(
    *,
    access_request: AccessRequest,
    author: AbstractBaseUser,
    body: str,
    item: AccessRequestItem | None = None,
    dac_only: bool = False,
) -> Comment:
    """Comment on a request the author can see; ``dac_only`` comments are for DAC members only."""
    if not selectors.requests_visible_to(author).filter(pk=access_request.pk).exists():
        raise NotPermitted("You cannot comment on this request.")
    if not body.strip():
        raise RuleViolation("The comment is empty.", field="body")
    if item is not None and item.request_id != access_request.pk:
        raise RuleViolation("The item does not belong to this request.", field="item")
    dac_ids = set(access_request.items.exclude(dac=None).values_list("dac_id", flat=True))
    is_dac = DacMembership.objects.filter(user_id=author.pk, dac_id__in=dac_ids).exists()
    if dac_only and not is_dac:
        raise NotPermitted("Only members of a deciding DAC can write DAC-only comments.")
    comment = Comment.objects.create(request=access_request, item=item, author=author, body=body, dac_only=dac_only)
    audit_record(
        actor=author,
        action="comment.add",
        obj=comment,
        after={"item_id": item.pk if item else None, "dac_only": dac_only},
        access_request_id=access_request.pk,
    )
    if author.pk != access_request.requester_id and not dac_only:
        recipients = [access_request.requester]
    else:
        recipients = list(
            selectors.User.objects.filter(dac_memberships__dac_id__in=dac_ids).exclude(pk=author.pk).distinct()
        )
    notify(
        users=recipients,
        verb="comment_added",
        message=f"{author} commented on “{access_request.title}”.",
        access_request_id=access_request.pk,
    )
    return comment


# --- downloads --------------------------------------------------------------------------------------


def _refusal(user: AbstractBaseUser, dataset: Dataset, today: datetime.date) -> str:
    if dataset.status == DatasetStatus.RETIRED:
        return "The dataset has been retired; its data is no longer released."
    grant = selectors.latest_grant_for(user, dataset)
    if grant is None:
        return "You have no access grant for this dataset."
    if grant.revoked_at is not None:
        return f"Your access grant was revoked on {timezone.localdate(grant.revoked_at)}: {grant.revoke_reason}"
    if grant.expired_at is not None or grant.valid_until < today:
        if grant.expired_at is None:
            grant_expire(grant=grant, today=today)
        return f"Your access grant expired on {grant.valid_until}."
    return "Your access grant is not live."


@dataclass
class DownloadResult:
    file: IO[bytes]
    filename: str
    download: Download


def distribution_download(
    *, distribution: Distribution, user: AbstractBaseUser, today: datetime.date | None = None
) -> DownloadResult:
    """Open a registry-held distribution file for a user with a live grant on its dataset; audited.

    Refusals are audited too (download.refused) and raise NotPermitted with the reason: no grant,
    grant expired (an overdue grant is expired on the spot), revoked, or dataset retired.
    """
    today = today or timezone.localdate()
    if distribution.kind != DistributionKind.FILE or not distribution.file:
        raise RuleViolation("This distribution is not a file held by the registry; use its access URL.")
    dataset = distribution.dataset
    grant = None if dataset.status == DatasetStatus.RETIRED else selectors.live_grant_for(user, dataset, today=today)
    if grant is None:
        with transaction.atomic():
            reason = _refusal(user, dataset, today)
            audit_record(actor=user, action="download.refused", obj=distribution, after={"reason": reason})
        raise NotPermitted(reason)
    handle = distribution.file.open("rb")
    with transaction.atomic():
        download = Download.objects.create(grant=grant, distribution=distribution, user=user)
        audit_record(
            actor=user,
            action="download",
            obj=download,
            after={"distribution_id": distribution.pk, "grant_id": grant.pk, "dataset_id": dataset.pk},
            access_request_id=grant.item.request_id,
        )
    return DownloadResult(handle, distribution.file.name.rsplit("/", 1)[-1], download)


# --- reminders and inbox ------------------------------------------------------------------------------


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind the members who have not voted on items waiting longer than their DAC's target.

    At most one reminder a day per item. Returns the number of items reminded about.
    """
    now = now or timezone.now()
    count = 0
    waiting = AccessRequestItem.objects.filter(state=ItemState.UNDER_REVIEW).select_related("dac", "request", "dataset")
    for item in waiting:
        if item.review_started_at is None or item.review_started_at > now - datetime.timedelta(
            days=item.dac.target_days
        ):
            continue
        if item.last_reminder_at and item.last_reminder_at > now - datetime.timedelta(days=1):
            continue
        with transaction.atomic():
            voted = Vote.objects.filter(item=item, review_round=item.review_round, member=OuterRef("pk"))
            members = selectors.User.objects.filter(pk__in=selectors.eligible_voter_ids(item)).exclude(Exists(voted))
            days = (now - item.review_started_at).days
            notify(
                users=members,
                verb="review_reminder",
                message=f"Reminder: “{item.request.title}” for “{item.dataset}” has waited {days} days for your vote.",
                access_request_id=item.request_id,
            )
            AccessRequestItem.objects.filter(pk=item.pk).update(last_reminder_at=now)
        count += 1
    return count


@transaction.atomic
def notification_mark_read(*, notification: Notification, user: AbstractBaseUser) -> Notification:
    if notification.user_id != user.pk:
        raise NotPermitted("This notification is not yours.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: AbstractBaseUser) -> int:
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).update(read_at=timezone.now())
