"""The researcher's pages: a basket of datasets, "My requests", drafting, the consent-match check before
submitting, submitting, following the timeline, withdrawing, signing the agreement and downloading.

Who may do what is decided by governance.services / governance.workflow; these views only call them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from catalogue.models import (
    Dataset,
    DatasetStatus,
    Distribution,
    DistributionKind,
    MembershipRole,
    Partner,
    Variable,
)
from catalogue.selectors import datasets_visible_to
from catalogue.views.paging import paginate
from governance import policy, selectors, services, workflow
from governance.errors import GovernanceError, NotPermitted
from governance.forms import AccessRequestForm, CommentForm, DocumentForm, SignForm
from governance.item_views import item_views
from governance.models import (
    AccessRequest,
    AccessRequestItem,
    DataSharingAgreement,
    DecisionLetter,
    ItemState,
    RequestDocument,
)
from governance.services.agreements import agreement_pdf as agreement_document_pdf
from governance.services.agreements import agreement_text, text_sha256
from governance.services.documents import documents_frozen_reason
from governance.views.common import run_action
from harmony.errors import apply_to_form
from ui.redirects import redirect_to_next

BASKET_KEY = "request_basket"


# --- basket -----------------------------------------------------------------------------------------


# The sides of a data-sharing agreement in the reader's words.
AGREEMENT_SIDES = {"requester": gettext_lazy("requester"), "holder": gettext_lazy("holder")}


def basket_slugs(request: HttpRequest) -> list[str]:
    return list(request.session.get(BASKET_KEY, []))


@require_POST
def basket_add(request: HttpRequest) -> HttpResponse:
    """Put a published dataset in the session's basket (no account needed to collect them)."""
    dataset = get_object_or_404(
        datasets_visible_to(request.user).filter(status=DatasetStatus.PUBLISHED), slug=request.POST.get("dataset", "")
    )
    slugs = basket_slugs(request)
    if dataset.slug not in slugs:
        slugs.append(dataset.slug)
        request.session[BASKET_KEY] = slugs
    messages.success(
        request,
        ngettext(
            "“%(title)s” is in your request basket (%(count)d dataset).",
            "“%(title)s” is in your request basket (%(count)d datasets).",
            len(slugs),
        )
        % {"title": dataset.title, "count": len(slugs)},
    )
    return redirect_to_next(request, "governance:basket")


@require_POST
def basket_remove(request: HttpRequest) -> HttpResponse:
    slugs = [slug for slug in basket_slugs(request) if slug != request.POST.get("dataset")]
    request.session[BASKET_KEY] = slugs
    return redirect("governance:basket")


def basket(request: HttpRequest) -> HttpResponse:
    datasets = datasets_visible_to(request.user).filter(slug__in=basket_slugs(request), status=DatasetStatus.PUBLISHED)
    return render(request, "governance/basket.html", {"datasets": datasets})


# --- my requests ------------------------------------------------------------------------------------


def _with_items(requests: QuerySet[AccessRequest]) -> QuerySet[AccessRequest]:
    items = (
        AccessRequestItem.objects.select_related("dataset__partner", "dac").prefetch_related("variables").order_by("id")
    )
    return requests.select_related("partner", "requester", "disease").prefetch_related(
        Prefetch("items", queryset=items)
    )


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    own = _with_items(selectors.requests_visible_to(request.user).filter(requester=request.user)).order_by(
        "-created_at"
    )
    team = _with_items(
        selectors.requests_visible_to(request.user)
        .filter(partner_id__in=selectors.partners_where(request.user, MembershipRole.RESEARCHER))
        .exclude(requester=request.user)
    ).order_by("-created_at")[:20]
    page = paginate(request, own, per_page=20)
    for access_request in page.object_list:
        access_request.state = selectors.request_state(access_request)
    team = list(team)
    for access_request in team:
        access_request.state = selectors.request_state(access_request)
    context = {"page": page, "team": team, "basket_count": len(basket_slugs(request))}
    return render(request, "governance/my_requests.html", context)


def _researcher_partners(request: HttpRequest) -> QuerySet[Partner]:
    return Partner.objects.filter(pk__in=selectors.partners_where(request.user, MembershipRole.RESEARCHER)).order_by(
        "name"
    )


def _requestable_datasets(request: HttpRequest) -> QuerySet[Dataset]:
    """The published datasets a form may offer: those named in ``?datasets=`` and the basket, or, on POST,
    those ticked (so a re-shown form never lists the whole catalogue)."""
    published = datasets_visible_to(request.user).filter(status=DatasetStatus.PUBLISHED).select_related("partner")
    if request.method == "POST":
        ids = [value for value in request.POST.getlist("datasets") if value.isdigit()]
        return published.filter(pk__in=ids).order_by("title")
    return published.filter(slug__in=request.GET.getlist("datasets") + basket_slugs(request)).order_by("title")


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    """Draft a request for the datasets named in ``?datasets=<slug>`` (a dataset page's button) and the basket."""
    partners = _researcher_partners(request)
    if not partners.exists():
        raise PermissionDenied(
            _("Only researchers of a partner can request access. Ask your institution's HARMONY contact for the role.")
        )
    datasets = _requestable_datasets(request)
    form = AccessRequestForm(
        request.POST or None,
        partners=partners,
        datasets=datasets,
        initial={"datasets": list(datasets), "partner": partners.first()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            access_request = services.request_create(
                requester=request.user,
                partner=form.cleaned_data["partner"],
                items=[services.ItemSpec(dataset=dataset) for dataset in form.cleaned_data["datasets"]],
                **form.request_fields(),
            )
        except GovernanceError as error:
            apply_to_form(form, error, aliases={"items": "datasets"})
        else:
            request.session[BASKET_KEY] = []
            messages.success(
                request, _("Your request is saved as a draft. Check the consent match below, then submit it.")
            )
            return redirect("governance:request_detail", pk=access_request.pk)
    return render(request, "governance/request_form.html", {"form": form, "access_request": None})


def visible_request(request: HttpRequest, pk: int) -> AccessRequest:
    return get_object_or_404(_with_items(selectors.requests_visible_to(request.user)), pk=pk)


@login_required
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access_request = visible_request(request, pk)
    decision = policy.can_edit_request(request.user, access_request)
    if not decision:
        raise PermissionDenied(decision.reason)
    items_editable = all(item.state == ItemState.DRAFT for item in access_request.items.all())
    datasets = _requestable_datasets(request)
    if request.method != "POST":
        current = [item.dataset_id for item in access_request.items.all()]
        datasets = (datasets | datasets_visible_to(request.user).filter(pk__in=current)).distinct()
    form = AccessRequestForm(
        request.POST or None,
        partners=_researcher_partners(request),
        datasets=datasets,
        items_editable=items_editable,
        initial=AccessRequestForm.initial_for(access_request),
    )
    if request.method == "POST" and form.is_valid():
        arguments = form.request_fields()
        if items_editable:
            # A dataset kept in the request keeps its chosen variables (they are chosen on the item's own page).
            chosen = {item.dataset_id: list(item.variables.all()) for item in access_request.items.all()}
            arguments["items"] = [
                services.ItemSpec(dataset=dataset, variables=chosen.get(dataset.pk, []))
                for dataset in form.cleaned_data["datasets"]
            ]
            arguments["partner"] = form.cleaned_data["partner"]
        try:
            services.request_update(access_request=access_request, actor=request.user, **arguments)
        except GovernanceError as error:
            apply_to_form(form, error, aliases={"items": "datasets"})
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("governance:request_detail", pk=access_request.pk)
    return render(request, "governance/request_form.html", {"form": form, "access_request": access_request})


@login_required
def request_detail(request: HttpRequest, pk: int, document_form: DocumentForm | None = None) -> HttpResponse:
    """The request's page; ``document_form`` is a refused upload to show with its errors
    (governance.views.documents.document_upload)."""
    access_request = visible_request(request, pk)
    user = request.user
    today = timezone.localdate()
    items = list(access_request.items.all())
    views = item_views(user, items, today=today)
    for item in items:
        item.verdict = views[item.pk].verdict
        item.grant = None
    is_requester = access_request.requester_id == user.pk
    if is_requester:
        released = [item for item in items if item.state == ItemState.RELEASED]
        grants = selectors.live_grants_for(user, [item.dataset_id for item in released], today=today)
        files: dict[int, list[Distribution]] = {}
        for distribution in Distribution.objects.filter(dataset_id__in=grants, kind=DistributionKind.FILE):
            files.setdefault(distribution.dataset_id, []).append(distribution)
        for item in released:
            item.grant = grants.get(item.dataset_id)
            item.files = files.get(item.dataset_id, []) if item.grant else []
    states = {item.state for item in items}
    events = list(selectors.audit_events_visible_to(user).filter(access_request_id=access_request.pk).order_by("id"))
    readable_votes = selectors.readable_vote_event_ids(user, events)
    for event in events:
        event.show_vote = event.pk in readable_votes
    agreements = DataSharingAgreement.objects.filter(request=access_request).select_related("holder")
    context = {
        "access_request": access_request,
        "state": selectors.state_from_item_states([item.state for item in items]),
        "items": items,
        "is_requester": is_requester,
        "is_draft": states <= {ItemState.DRAFT},
        "can_edit": is_requester and (states <= {ItemState.DRAFT} or ItemState.CHANGES_REQUESTED in states),
        "can_resubmit": is_requester and ItemState.CHANGES_REQUESTED in states,
        "can_withdraw": is_requester and any(workflow.allowed("withdraw", s) and s != ItemState.DRAFT for s in states),
        "problems": workflow.submission_problems(access_request, today=today) if is_requester else [],
        "events": events,
        "datasets_by_id": {item.dataset_id: item.dataset for item in items},
        "agreements": [
            (
                agreement,
                is_requester
                and agreement.requester_signed_at is None
                and policy.can_sign(user, agreement, "requester"),
            )
            for agreement in agreements
        ],
        "comments": selectors.comments_visible_to(user, access_request),
        "comment_form": CommentForm(),
        "withdrawable": {item.pk for item in items if is_requester and workflow.allowed("withdraw", item.state)},
        **documents_context(user, access_request, document_form),
        "letters": DecisionLetter.objects.filter(item__in=items).select_related("item__dataset").order_by("-issued_at"),
    }
    return render(request, "governance/request_detail.html", context)


def documents_context(
    user: AbstractBaseUser | AnonymousUser, access_request: AccessRequest, form: DocumentForm | None = None
) -> dict[str, Any]:
    """What the documents section (governance/_documents.html) shows: the current documents, and the upload
    form when the user may change them and the request's state allows it."""
    may_read = bool(policy.can_view_request_documents(user, access_request))
    may_change = bool(policy.can_change_request_documents(user, access_request))
    frozen = documents_frozen_reason(access_request)
    documents = access_request.documents.filter(removed_at__isnull=True) if may_read else RequestDocument.objects.none()
    return {
        "documents": documents,
        "documents_editable": may_change and frozen is None,
        "documents_frozen": frozen if may_change else None,
        "document_form": form or DocumentForm(),
    }


@login_required
def item_variables(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """Choose the subset of a draft item's variables (none ticked means the whole dataset)."""
    access_request = visible_request(request, pk)
    decision = policy.can_edit_request(request.user, access_request)
    if not decision:
        raise PermissionDenied(decision.reason)
    item = get_object_or_404(access_request.items.all(), pk=item_id)
    variables = Variable.objects.filter(dataset=item.dataset).order_by("position", "name")
    if request.method == "POST":
        wanted = {int(value) for value in request.POST.getlist("variables") if value.isdigit()}
        items = [
            services.ItemSpec(
                dataset=other.dataset,
                variables=list(variables.filter(pk__in=wanted)) if other.pk == item.pk else list(other.variables.all()),
            )
            for other in access_request.items.all()
        ]
        done = _("The variables are saved.") if wanted else _("The whole dataset is requested.")
        if run_action(
            request, services.request_update, done, access_request=access_request, actor=request.user, items=items
        ):
            return redirect("governance:request_detail", pk=pk)
    chosen = set(item.variables.values_list("pk", flat=True))
    context = {"access_request": access_request, "item": item, "variables": variables, "chosen": chosen}
    return render(request, "governance/item_variables.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation (each dataset goes to the committee governing it, with its consent match; what can
    no longer change). POST: workflow.submit, which checks everything again."""
    access_request = visible_request(request, pk)
    if request.method == "POST" and run_action(
        request,
        workflow.submit,
        _("Your request is submitted. Each committee has been notified; follow its progress below."),
        access_request=access_request,
        actor=request.user,
    ):
        return redirect("governance:request_detail", pk=pk)
    decision = policy.can_submit(request.user, access_request)
    if not decision:
        raise PermissionDenied(decision.reason)
    today = timezone.localdate()
    items = list(access_request.items.all())
    views = item_views(request.user, items, today=today)
    rows = [(item, selectors.dac_for_dataset(item.dataset), views[item.pk].verdict) for item in items]
    context = {
        "access_request": access_request,
        "rows": rows,
        "problems": workflow.submission_problems(access_request, today=today),
        "is_draft": all(item.state == ItemState.DRAFT for item in items),
    }
    return render(request, "governance/submit_confirm.html", context)


@login_required
@require_POST
def request_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    access_request = visible_request(request, pk)
    run_action(
        request,
        workflow.resubmit,
        _("Your request is resubmitted for a new review round."),
        access_request=access_request,
        actor=request.user,
    )
    return redirect("governance:request_detail", pk=pk)


@login_required
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    access_request = visible_request(request, pk)
    run_action(
        request,
        workflow.withdraw_request,
        _("Your request is withdrawn."),
        access_request=access_request,
        actor=request.user,
    )
    return redirect("governance:request_detail", pk=pk)


@login_required
@require_POST
def item_withdraw(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    access_request = visible_request(request, pk)
    item = get_object_or_404(AccessRequestItem, pk=item_id, request=access_request)
    run_action(
        request,
        workflow.withdraw,
        _("“%(dataset)s” is withdrawn from the request.") % {"dataset": item.dataset},
        item=item,
        actor=request.user,
    )
    return redirect("governance:request_detail", pk=pk)


@login_required
@require_POST
def request_delete(request: HttpRequest, pk: int) -> HttpResponse:
    access_request = visible_request(request, pk)
    if run_action(
        request, services.request_delete, _("The draft is deleted."), access_request=access_request, actor=request.user
    ):
        return redirect("governance:my_requests")
    return redirect("governance:request_detail", pk=pk)


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    access_request = visible_request(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The comment is empty."))
    else:
        run_action(
            request,
            services.comment_add,
            _("Your comment is posted."),
            access_request=access_request,
            author=request.user,
            body=form.cleaned_data["body"],
            dac_only=form.cleaned_data["dac_only"],
        )
    return redirect_to_next(request, f"{access_request_url(pk)}#comments")


def access_request_url(pk: int) -> str:
    return reverse("governance:request_detail", args=[pk])


@login_required
@require_http_methods(["GET", "POST"])
def agreement_sign(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """GET: the agreement's text as it will be signed, with the side's name field (``?side=requester|holder``).
    POST: workflow.agreement_sign with the typed name and the hash of the text shown (a changed text is refused)."""
    agreement = get_object_or_404(selectors.agreements_visible_to(request.user), pk=agreement_id)
    side = request.POST.get("side") or request.GET.get("side", "requester")
    # An agreement opened before texts were rendered gets its text at the first signature; show that text now.
    text = agreement.text or agreement_text(agreement)
    form = SignForm(request.POST or None, initial={"side": side, "text_sha256": text_sha256(text)})
    if request.method == "POST" and form.is_valid():
        try:
            workflow.agreement_sign(
                agreement=agreement,
                actor=request.user,
                side=form.cleaned_data["side"],
                signed_name=form.cleaned_data["signed_name"],
                text_sha256=form.cleaned_data["text_sha256"],
            )
        except GovernanceError as error:
            apply_to_form(form, error)
        else:
            messages.success(
                request,
                _("The agreement with %(holder)s is signed on the %(side)s side.")
                % {"holder": agreement.holder, "side": AGREEMENT_SIDES.get(side, side)},
            )
            return redirect_to_next(request, access_request_url(agreement.request_id))
    decision = policy.can_sign(request.user, agreement, side)
    context = {
        "agreement": agreement,
        "text": text,
        "text_sha256": text_sha256(text),
        "access_request": agreement.request,
        "side": side,
        "form": form,
        "can_sign": bool(decision) and getattr(agreement, f"{side}_signed_at", None) is None,
        "refusal": decision.reason if not decision else "",
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(request, "governance/agreement_sign.html", context)


@login_required
def agreement_pdf(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """The signed agreement as a PDF, for both sides (governance.policy.can_download_agreement)."""
    agreement = get_object_or_404(
        selectors.agreements_visible_to(request.user).select_related("request__partner", "holder"), pk=agreement_id
    )
    decision = policy.can_download_agreement(request.user, agreement)
    if not decision:
        raise PermissionDenied(decision.reason)
    filename = f"agreement-{agreement.request_id}-{agreement.holder.short_name}.pdf"
    return HttpResponse(
        agreement_document_pdf(agreement),
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@login_required
def distribution_download(request: HttpRequest, distribution_id: int) -> HttpResponse:
    """Stream a registry-held file to a user with a live grant (the service audits the download or the refusal)."""
    distribution = get_object_or_404(
        Distribution.objects.filter(policy.distributions_findable_q(request.user)), pk=distribution_id
    )
    try:
        result = services.distribution_download(distribution=distribution, user=request.user)
    except NotPermitted as error:
        raise PermissionDenied(error.message) from None
    except GovernanceError as error:
        return HttpResponseBadRequest(error.message)
    return FileResponse(result.file, as_attachment=True, filename=result.filename)
