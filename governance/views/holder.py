"""The data holder's pages: who requested our data, and the release page (agreement signing, the release
gate's checks, release, revocation)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from catalogue.selectors import partners_curated_by
from governance import policy, selectors, workflow
from governance.forms import RevokeForm
from governance.models import AccessGrant, AccessRequestItem, DataSharingAgreement, ItemState
from governance.views.common import run_action


def _administered_items(request: HttpRequest) -> QuerySet[AccessRequestItem]:
    """Items the user may release or revoke (governance.policy.can_administer)."""
    return selectors.items_administered_by(request.user)


@login_required
def holder_requests(request: HttpRequest) -> HttpResponse:
    """Every request for the user's partners' datasets, the ones waiting for them first."""
    items = _administered_items(request)
    dataset = request.GET.get("dataset", "")
    if dataset:
        items = items.filter(dataset__slug=dataset)
    items = list(items.order_by("-updated_at"))
    if not items and not partners_curated_by(request.user).exists() and not request.user.is_superuser:
        raise PermissionDenied("This page is for data holders' curators and committee chairs and secretaries.")
    action_states = (ItemState.APPROVED, ItemState.AGREEMENT_SIGNED)
    context = {
        "to_act": [item for item in items if item.state in action_states],
        "released": [item for item in items if item.state == ItemState.RELEASED],
        "in_review": [item for item in items if item.state not in (*action_states, ItemState.RELEASED)],
        "dataset": dataset,
    }
    return render(request, "governance/holder_requests.html", context)


def _administered_item(request: HttpRequest, item_id: int) -> AccessRequestItem:
    return get_object_or_404(_administered_items(request), pk=item_id)


@login_required
def release_page(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _administered_item(request, item_id)
    today = timezone.localdate()
    agreement = DataSharingAgreement.objects.filter(request=item.request, holder=item.dataset.partner).first()
    grant = AccessGrant.objects.filter(item=item).first()
    context = {
        "item": item,
        "access_request": item.request,
        "agreement": agreement,
        "can_sign_holder": agreement is not None
        and agreement.holder_signed_at is None
        and policy.can_sign(request.user, agreement, "holder"),
        "can_administer": policy.can_administer(request.user, item),
        "gate_problems": workflow.release_gate_problems(item, today=today)
        if item.state == ItemState.AGREEMENT_SIGNED
        else [],
        "verdict": selectors.item_verdict(item, today=today),
        "grant": grant,
        "revoke_form": RevokeForm(),
    }
    return render(request, "governance/release.html", context)


@login_required
@require_POST
def release(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _administered_item(request, item_id)
    run_action(
        request,
        workflow.release_item,
        f"“{item.dataset}” is released to {item.request.requester}; they have been notified.",
        item=item,
        actor=request.user,
    )
    return redirect("governance:release_page", item_id=item.pk)


@login_required
@require_POST
def revoke(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _administered_item(request, item_id)
    grant = get_object_or_404(AccessGrant, item=item)
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    run_action(request, workflow.grant_revoke, "Access is revoked.", grant=grant, actor=request.user, reason=reason)
    return redirect("governance:release_page", item_id=item.pk)
