"""Drafting access requests (create, edit, delete before submission) and commenting on them."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from catalogue.consent_matching import SENSITIVE_RESEARCH
from catalogue.countries import COUNTRIES
from catalogue.models import Dataset, DatasetStatus, Partner
from catalogue.models import Variable as CatalogueVariable
from governance import policy, selectors
from governance.errors import InvalidTransition, RuleViolation
from governance.models import (
    CLOSED_STATES,
    AccessRequest,
    AccessRequestItem,
    Comment,
    ItemState,
    state_in_sentence,
)
from governance.notifications import notify
from governance.review_basis import INTENDED_USE_FIELDS
from governance.services.documents import documents_delete_files

# What a requester may edit: the title (it only names the request) and the intended use.
EDITABLE_FIELDS = ("title", *INTENDED_USE_FIELDS)


PARTNER_FIXED = gettext_lazy("The requesting partner cannot be changed.")


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
    """The intended-use rules a request's fields obey whatever the caller: DS names its disease (a MONDO term);
    countries of use are known ISO 3166-1 codes; sensitive research uses the matcher's codes."""
    if values.get("purpose") == "DS" and values.get("disease") is None:
        raise RuleViolation(_("Disease-specific research must name the disease."), field="disease")
    unknown = [code for code in values.get("countries_of_use") or [] if code not in COUNTRIES]
    if unknown:
        raise RuleViolation(
            _("Unknown country %(code)s: use ISO 3166-1 alpha-2 codes such as DE, FR, IT.")
            % {"code": repr(unknown[0])},
            field="countries_of_use",
        )
    unknown = [code for code in values.get("sensitive_research") or [] if code not in SENSITIVE_RESEARCH]
    if unknown:
        raise RuleViolation(
            _("Unknown sensitive research %(code)s: use one of %(codes)s.")
            % {"code": repr(unknown[0]), "codes": ", ".join(SENSITIVE_RESEARCH)},
            field="sensitive_research",
        )
    start, end = values.get("requested_start"), values.get("requested_end")
    if start and end and start >= end:
        raise RuleViolation(_("The requested end must be after the start."), field="requested_end")


def _validate_items(items: Sequence[ItemSpec]) -> None:
    seen = set()
    for spec in items:
        if spec.dataset.status != DatasetStatus.PUBLISHED:
            raise RuleViolation(
                _("The dataset “%(dataset)s” is not published.") % {"dataset": spec.dataset}, field="items"
            )
        if spec.dataset.pk in seen:
            raise RuleViolation(
                _("The dataset “%(dataset)s” is requested twice.") % {"dataset": spec.dataset}, field="items"
            )
        seen.add(spec.dataset.pk)
        foreign = [variable.name for variable in spec.variables if variable.dataset_id != spec.dataset.pk]
        if foreign:
            raise RuleViolation(
                _("Variables %(names)s do not belong to “%(dataset)s”.")
                % {"names": ", ".join(sorted(foreign)), "dataset": spec.dataset},
                field="items",
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
    policy.require(policy.can_request_for(requester, partner))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise RuleViolation(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
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


def _refuse_use_change_under_standing_decisions(access_request: AccessRequest, fields: dict[str, Any]) -> None:
    """Refuse a change of the intended use while an item other than those being reworked stands on its review.

    Items sent back (changes requested) are reviewed again on a new basis when resubmitted; every other open
    item — under review, approved, agreement signed, released — was or is being decided on the use as
    submitted (its frozen ReviewBasis), so the use may not change under it: the requester withdraws it first.
    """
    changed = [name for name in INTENDED_USE_FIELDS if name in fields and fields[name] != getattr(access_request, name)]
    if not changed:
        return
    standing = [
        item
        for item in access_request.items.select_related("dataset").order_by("id")
        if item.state not in (ItemState.DRAFT, ItemState.CHANGES_REQUESTED) and item.state not in CLOSED_STATES
    ]
    if standing:
        names = ", ".join(AccessRequest._meta.get_field(name).verbose_name for name in changed)
        raise InvalidTransition(
            _(
                "The intended use (%(fields)s) cannot change while other datasets of this request stand on the use "
                "their committee reviewed; withdraw them first, or leave the use as submitted."
            )
            % {"fields": names},
            reasons=[
                _("“%(dataset)s” is %(state)s.") % {"dataset": item.dataset, "state": state_in_sentence(item.state)}
                for item in standing
            ],
            field=changed[0],
        )


@transaction.atomic
def request_update(
    *,
    access_request: AccessRequest,
    actor: AbstractBaseUser,
    items: Sequence[ItemSpec] | None = None,
    partner: Partner | None = None,
    **fields: Any,
) -> AccessRequest:
    """Change a request: everything while all its items are drafts; its text and use (not its datasets)
    while an item is waiting for changes — its use only if no other open item stands on a review of it
    (governance.review_basis.INTENDED_USE_FIELDS). The requesting partner never changes (``partner``, when
    given, must be the request's). Audited with before/after of the changed fields."""
    access_request = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    policy.require(policy.can_edit_request(actor, access_request))
    if partner is not None and partner.pk != access_request.partner_id:
        raise RuleViolation(PARTNER_FIXED, field="partner")
    states = set(access_request.items.values_list("state", flat=True))
    is_draft = states <= {ItemState.DRAFT}
    if not is_draft and ItemState.CHANGES_REQUESTED not in states:
        state = state_in_sentence(selectors.state_from_item_states(list(states)))
        raise InvalidTransition(_("This request can no longer be edited: it is %(state)s.") % {"state": state})
    if items is not None and not is_draft:
        raise InvalidTransition(_("The datasets of a submitted request cannot be changed; withdraw items instead."))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise RuleViolation(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    if not is_draft:
        _refuse_use_change_under_standing_decisions(access_request, fields)
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
    """Delete a request that was never submitted (afterwards it can only be withdrawn), with its documents."""
    access_request = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    policy.require(policy.can_edit_request(actor, access_request))
    if access_request.items.exclude(state=ItemState.DRAFT).exists():
        raise InvalidTransition(_("A submitted request cannot be deleted; withdraw it instead."))
    audit_record(
        actor=actor,
        action="request.delete",
        obj=access_request,
        before={"title": access_request.title},
        access_request_id=access_request.pk,
    )
    documents_delete_files(access_request)
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
    """Comment on a request the author can see; ``dac_only`` comments are for the author's committee
    (governance.policy.can_comment)."""
    access_request = (
        AccessRequest.objects.select_related("partner").prefetch_related("items__dataset").get(pk=access_request.pk)
    )
    policy.require(policy.can_comment(author, access_request, dac_only=dac_only))
    if not body.strip():
        raise RuleViolation(_("The comment is empty."), field="body")
    if item is not None and item.request_id != access_request.pk:
        raise RuleViolation(_("The item does not belong to this request."), field="item")
    dac_ids = {request_item.dac_id for request_item in access_request.items.all() if request_item.dac_id}
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
        message_key="comment.added",
        params={"author": str(author), "request": access_request.title},
        access_request_id=access_request.pk,
    )
    return comment
