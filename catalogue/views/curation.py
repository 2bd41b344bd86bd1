"""Curators' pages: their datasets, the guided registration form, editing, publishing and retiring.

Every write goes through ``catalogue.services``; the services check again that the actor
curates the owning partner, so a forged form post is refused there too (``PermissionDenied`` → 403).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from catalogue.extensions import retirement_consequences
from catalogue.forms import DatasetForm, add_service_errors
from catalogue.models import Dataset
from catalogue.selectors import dataset_for_user, datasets_visible_to, partners_curated_by, user_curates
from catalogue.services.datasets import dataset_create, dataset_publish, dataset_retire, dataset_update
from catalogue.views.confirmation import confirmation_page, is_confirmed
from catalogue.views.paging import paginate


def curated_dataset(request: HttpRequest, slug: str) -> Dataset:
    """The dataset if the signed-in user curates its partner: 404 when they cannot see it, 403 when they only can."""
    dataset = dataset_for_user(slug, request.user)
    if not user_curates(request.user, dataset.partner):
        raise PermissionDenied(_("Only curators of the holding partner can manage this dataset."))
    return dataset


@login_required
def my_datasets(request: HttpRequest) -> HttpResponse:
    partners = partners_curated_by(request.user)
    if not partners.exists():
        raise PermissionDenied(_("This page is for partners' data curators."))
    datasets = (
        datasets_visible_to(request.user, include_retired=True)
        .filter(partner__in=partners.values("pk"))
        .order_by("status", "title")
    )
    status = request.GET.get("status", "")
    if status in {"draft", "published", "retired"}:
        datasets = datasets.filter(status=status)
    context = {
        "page": paginate(request, datasets, per_page=25),
        "partners": list(partners.order_by("name")),
        "status": status,
    }
    return render(request, "catalogue/curation/my_datasets.html", context)


@login_required
def dataset_create_view(request: HttpRequest) -> HttpResponse:
    partners = partners_curated_by(request.user).order_by("name")
    if not partners.exists():
        raise PermissionDenied(_("Only partners' data curators can register datasets."))
    initial = {}
    preselected = partners.filter(slug=request.GET.get("partner", "")).first()
    if preselected is not None:
        initial["partner"] = preselected
    elif partners.count() == 1:
        initial["partner"] = partners.first()
    form = DatasetForm(request.POST or None, partners=partners, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            dataset = dataset_create(
                actor=request.user,
                partner=form.cleaned_data["partner"],
                title=form.cleaned_data["title"],
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("“%(title)s” is registered as a draft. Next: upload its data dictionary.") % {"title": dataset.title},
            )
            return redirect("dataset_dictionary", slug=dataset.slug)
    return render(request, "catalogue/curation/dataset_form.html", {"form": form, "dataset": None})


@login_required
def dataset_edit(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = curated_dataset(request, slug)
    form = DatasetForm(
        request.POST or None,
        partners=partners_curated_by(request.user),
        editing=True,
        initial=DatasetForm.initial_for(dataset),
    )
    if request.method == "POST" and form.is_valid():
        try:
            dataset = dataset_update(
                actor=request.user, dataset=dataset, title=form.cleaned_data["title"], **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("dataset_manage", slug=dataset.slug)
    return render(request, "catalogue/curation/dataset_form.html", {"form": form, "dataset": dataset})


@login_required
def dataset_manage(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = curated_dataset(request, slug)
    consents = dataset.consents.filter(withdrawn_at__isnull=True).select_related("permission")
    consents = consents.prefetch_related("diseases", "modifiers__term")
    context = {"dataset": dataset, "consents": consents, "distributions": dataset.distributions.all()}
    return render(request, "catalogue/curation/dataset_manage.html", context)


def _lifecycle(request: HttpRequest, slug: str, service: Callable[..., Dataset], done: str) -> HttpResponse:
    dataset = curated_dataset(request, slug)
    try:
        service(actor=request.user, dataset=dataset)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done % {"title": dataset.title})
    return redirect("dataset_manage", slug=dataset.slug)


@login_required
@require_POST
def dataset_publish_view(request: HttpRequest, slug: str) -> HttpResponse:
    return _lifecycle(request, slug, dataset_publish, _("“%(title)s” is published: researchers can now find it."))


@login_required
@require_http_methods(["GET", "POST"])
def dataset_retire_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Retire after a confirmation page that says what the retirement does, including what other apps report
    (governance: how many live access grants it revokes)."""
    dataset = curated_dataset(request, slug)
    if not is_confirmed(request):
        return confirmation_page(
            request,
            title=_("Retire “%(title)s”?") % {"title": dataset.title},
            consequences=[
                _("It leaves the catalogue's lists and search, and nobody can request access to it any more."),
                *retirement_consequences(dataset),
                _("Its curators still see it; it cannot be published again."),
            ],
            confirm_label=_("Retire the dataset"),
            cancel_url=reverse("dataset_manage", args=[dataset.slug]),
            breadcrumbs=[
                (reverse("my_datasets"), _("My datasets")),
                (reverse("dataset_manage", args=[slug]), dataset.title),
            ],
        )
    return _lifecycle(
        request, slug, dataset_retire, _("“%(title)s” is retired: it no longer appears in lists or search.")
    )
