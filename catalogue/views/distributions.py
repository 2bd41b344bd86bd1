"""Curators' distributions page: add a held file (with an upload progress bar) or an external access URL, edit
either, remove one after a confirmation. Every write goes through ``catalogue.services.distributions``, the same
services as the API, which check again that the actor curates the owning partner."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from catalogue.forms import DistributionFileEditForm, DistributionFileForm, DistributionUrlForm, add_service_errors
from catalogue.models import Dataset, Distribution, DistributionKind
from catalogue.services.distributions import distribution_create, distribution_delete, distribution_update
from catalogue.views.confirmation import confirmation_page, is_confirmed
from catalogue.views.curation import curated_dataset


def _done(request: HttpRequest, dataset: Dataset, message: str) -> HttpResponse:
    """Back to the list with ``message``. An htmx upload (sent so that its progress can be shown) is told where
    to go with ``HX-Redirect``, since the browser would otherwise swap the list into the form."""
    messages.success(request, message)
    url = reverse("dataset_distributions", args=[dataset.slug])
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def dataset_distributions(request: HttpRequest, slug: str) -> HttpResponse:
    """The list, and the two add forms; ``?add=file`` or ``?add=url`` tells which form a post is."""
    dataset = curated_dataset(request, slug)
    adding = request.POST.get("add") if request.method == "POST" else None
    file_form = (
        DistributionFileForm(request.POST or None, request.FILES or None, prefix="file")
        if adding == "file"
        else DistributionFileForm(prefix="file")
    )
    url_form = (
        DistributionUrlForm(request.POST or None, prefix="url")
        if adding == "url"
        else DistributionUrlForm(prefix="url")
    )
    form: Form | None = {"file": file_form, "url": url_form}.get(adding or "")
    if form is not None and form.is_valid():
        try:
            distribution = distribution_create(actor=request.user, dataset=dataset, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, dataset, _("“%(title)s” is added.") % {"title": distribution.title})
    context = {
        "dataset": dataset,
        "distributions": dataset.distributions.all(),
        "file_form": file_form,
        "url_form": url_form,
    }
    return render(request, "catalogue/curation/distributions.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def dataset_distribution_edit(request: HttpRequest, slug: str, distribution_id: int) -> HttpResponse:
    dataset = curated_dataset(request, slug)
    distribution = get_object_or_404(Distribution, pk=distribution_id, dataset=dataset)
    form_class = DistributionUrlForm if distribution.kind == DistributionKind.URL else DistributionFileEditForm
    initial = {name: getattr(distribution, name) for name in form_class.base_fields}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            distribution_update(actor=request.user, distribution=distribution, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(
                request, dataset, _("Your changes to “%(title)s” are saved.") % {"title": form.cleaned_data["title"]}
            )
    context = {"dataset": dataset, "distribution": distribution, "form": form}
    return render(request, "catalogue/curation/distribution_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def dataset_distribution_delete(request: HttpRequest, slug: str, distribution_id: int) -> HttpResponse:
    """Remove a distribution after a confirmation page (a held file is deleted from storage)."""
    dataset = curated_dataset(request, slug)
    distribution = get_object_or_404(Distribution, pk=distribution_id, dataset=dataset)
    list_url = reverse("dataset_distributions", args=[dataset.slug])
    if not is_confirmed(request):
        if distribution.kind == DistributionKind.FILE:
            consequences = [
                _("The file is deleted from the registry's storage; researchers with access can no longer download it.")
            ]
        else:
            consequences = [_("The access URL is no longer listed on the dataset's page.")]
        return confirmation_page(
            request,
            title=_("Remove “%(title)s”?") % {"title": distribution.title},
            consequences=consequences,
            confirm_label=_("Remove the distribution"),
            cancel_url=list_url,
            breadcrumbs=[
                (reverse("dataset_manage", args=[dataset.slug]), dataset.title),
                (list_url, _("Distributions")),
            ],
        )
    title = distribution.title
    distribution_delete(actor=request.user, distribution=distribution)
    messages.success(request, _("“%(title)s” is removed.") % {"title": title})
    return redirect(list_url)
