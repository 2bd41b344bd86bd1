"""The consent conditions editor: a DUO picker (permission radio, modifier checkboxes with parameters)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from catalogue.forms import ConsentForm, add_service_errors
from catalogue.models import Consent, DatasetStatus, DataUseModifier
from catalogue.services.consents import consent_create, consent_delete, consent_update
from catalogue.views.confirmation import confirmation_page, is_confirmed
from catalogue.views.curation import curated_dataset


@login_required
def dataset_consents(request: HttpRequest, slug: str) -> HttpResponse:
    """List the dataset's consents and add one, or edit the one named by ``?edit=<id>``."""
    dataset = curated_dataset(request, slug)
    consents = (
        Consent.objects.filter(dataset=dataset)
        .select_related("permission")
        .prefetch_related("diseases", Prefetch("modifiers", queryset=DataUseModifier.objects.select_related("term")))
    )
    editing = None
    edit_id = request.POST.get("consent") or request.GET.get("edit")
    if edit_id and str(edit_id).isdigit():
        editing = get_object_or_404(consents, pk=int(edit_id))
    initial = ConsentForm.initial_for(editing) if editing else {}
    form = ConsentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        arguments = {
            "actor": request.user,
            "form_version": data["form_version"],
            "permission": data["permission"],
            "diseases": list(data["diseases"]),
            "participant_count": data["participant_count"],
            "modifiers": form.modifier_specs(),
        }
        try:
            if editing is not None:
                consent_update(consent=editing, **arguments)
            else:
                consent_create(dataset=dataset, **arguments)
        except ValidationError as error:
            # The modifiers' errors (unknown terms, missing dates, contradictions) go next to the modifier list.
            errors = dict(error.message_dict) if hasattr(error, "error_dict") else {None: error.messages}
            form.modifier_errors = errors.pop("modifiers", [])
            if errors:
                add_service_errors(form, ValidationError(errors))
        else:
            messages.success(request, _("Consent form %(version)s is saved.") % {"version": data["form_version"]})
            return redirect("dataset_consents", slug=dataset.slug)
    context = {"dataset": dataset, "consents": consents, "form": form, "editing": editing}
    return render(request, "catalogue/curation/consents.html", context)


def _removal_consequences(consent: Consent) -> list[str]:
    """What ``consent_delete`` does to this consent, in the curator's words."""
    if consent.dataset.status == DatasetStatus.DRAFT:
        return [_("The consent form is deleted: the dataset is a draft, so no history is kept.")]
    return [
        _("The consent form is withdrawn: it stays in the dataset's history but no longer admits any use."),
        _(
            "Open access requests and live grants for this dataset are matched again against the remaining consents:"
            " those no longer admitted are sent back to the requester or revoked."
        ),
    ]


@login_required
@require_http_methods(["GET", "POST"])
def dataset_consent_delete(request: HttpRequest, slug: str, consent_id: int) -> HttpResponse:
    """Remove a consent form after a confirmation page saying whether it is deleted or withdrawn."""
    dataset = curated_dataset(request, slug)
    consent = get_object_or_404(Consent, pk=consent_id, dataset=dataset)
    if not is_confirmed(request):
        consents_url = reverse("dataset_consents", args=[dataset.slug])
        return confirmation_page(
            request,
            title=_("Remove consent form %(version)s of “%(title)s”?")
            % {"version": consent.form_version, "title": dataset.title},
            consequences=_removal_consequences(consent),
            confirm_label=_("Remove the consent form"),
            cancel_url=consents_url,
            breadcrumbs=[
                (reverse("dataset_manage", args=[dataset.slug]), dataset.title),
                (consents_url, _("Consent conditions")),
            ],
        )
    try:
        consent_delete(actor=request.user, consent=consent)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Consent form %(version)s is removed.") % {"version": consent.form_version})
    return redirect("dataset_consents", slug=dataset.slug)
