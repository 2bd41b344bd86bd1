"""The data holder's pages: who requested our data, and the release page (agreement signing, the release
gate's checks, release, revocation)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from catalogue.selectors import partners_curated_by
from governance import policy, selectors, workflow
from governance.errors import GovernanceError
from governance.forms import ReleaseForm, RevokeForm
from governance.models import AccessGrant, AccessRequestItem, DataSharingAgreement, ItemState
from harmony.errors import apply_to_form


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
        raise PermissionDenied(_("This page is for data holders' curators and committee chairs and secretaries."))
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


def _release_facts(item: AccessRequestItem) -> dict[str, object]:
    """What the release page and the release confirmation both show."""
    grant = AccessGrant.objects.filter(item=item).select_related("released_by", "revoked_by").first()
    return {
        "item": item,
        "access_request": item.request,
        "grant": grant,
        "latest_end": workflow.release_latest_end(item),
        "today": timezone.localdate(),
    }


@login_required
def release_page(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _administered_item(request, item_id)
    today = timezone.localdate()
    agreement = DataSharingAgreement.objects.filter(request=item.request, holder=item.dataset.partner).first()
    context = {
        **_release_facts(item),
        "agreement": agreement,
        "can_sign_holder": agreement is not None
        and agreement.holder_signed_at is None
        and policy.can_sign(request.user, agreement, "holder"),
        "can_administer": policy.can_administer(request.user, item),
        "gate_problems": workflow.release_gate_problems(item, today=today)
        if item.state == ItemState.AGREEMENT_SIGNED
        else [],
        "verdict": selectors.item_verdict(item, today=today),
    }
    return render(request, "governance/release.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def release(request: HttpRequest, item_id: int) -> HttpResponse:
    """GET: the confirmation (who gets access to what, until when; the holder picks the last day within the
    approved period). POST: release through workflow.release_item, which checks the gate and the day."""
    item = _administered_item(request, item_id)
    facts = _release_facts(item)
    form = ReleaseForm(request.POST or None, initial={"valid_until": facts["latest_end"]})
    if request.method == "POST" and form.is_valid():
        try:
            grant = workflow.release_item(item=item, actor=request.user, valid_until=form.cleaned_data["valid_until"])
        except GovernanceError as error:
            apply_to_form(form, error)
        else:
            messages.success(
                request,
                _("“%(dataset)s” is released to %(requester)s until %(day)s (inclusive); they have been notified.")
                % {
                    "dataset": item.dataset,
                    "requester": item.request.requester,
                    "day": date_format(grant.valid_until, "DATE_FORMAT"),
                },
            )
            return redirect("governance:release_page", item_id=item.pk)
    problems = (
        workflow.release_gate_problems(item, today=timezone.localdate())
        if item.state == ItemState.AGREEMENT_SIGNED
        else []
    )
    context = {**facts, "form": form, "gate_problems": problems}
    return render(request, "governance/release_confirm.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request: HttpRequest, item_id: int) -> HttpResponse:
    """GET: the confirmation (access ends at once, the requester is told why). POST: workflow.grant_revoke."""
    item = _administered_item(request, item_id)
    grant = get_object_or_404(AccessGrant, item=item)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.grant_revoke(grant=grant, actor=request.user, reason=form.cleaned_data["reason"])
        except GovernanceError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("Access is revoked."))
            return redirect("governance:release_page", item_id=item.pk)
    context = {**_release_facts(item), "form": form}
    return render(request, "governance/revoke_confirm.html", context)
