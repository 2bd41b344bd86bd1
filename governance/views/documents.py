"""Documents attached to requests (upload, download, removal) and decision letters (the page and the PDF).

Who may do what: governance.policy (can_view_request_documents, can_change_request_documents,
can_read_decision_letter); what may change when: governance.services.documents. These views only call them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalogue.views.confirmation import confirmation_page, is_confirmed
from governance import policy, selectors
from governance.errors import GovernanceError, NotPermitted
from governance.forms import DocumentForm
from governance.models import DecisionLetter, RequestDocument
from governance.services.documents import document_add, document_open, document_remove
from governance.services.letters import letter_pdf
from governance.views.requests import request_detail, visible_request
from harmony.errors import apply_to_form


def _to_documents(request: HttpRequest, pk: int, message: str) -> HttpResponse:
    """Back to the request's documents with ``message``. An htmx upload (sent from the request's page so that its
    progress can be shown) is told to reload that page (``HX-Refresh``): a redirect to the same page with only a
    ``#documents`` fragment added would not reload it, and swapping would put the whole page into the form."""
    messages.success(request, message)
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return redirect(reverse("governance:request_detail", args=[pk]) + "#documents")


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a document (governance.services.documents.document_add); a refusal is shown next to its field on
    the request's page."""
    access_request = visible_request(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = document_add(
                access_request=access_request,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except NotPermitted as error:
            raise PermissionDenied(error.message) from None
        except GovernanceError as error:
            apply_to_form(form, error)
        else:
            return _to_documents(request, pk, _("“%(name)s” is attached.") % {"name": document.filename})
    return request_detail(request, pk, document_form=form)


def _document(request: HttpRequest, pk: int, document_id: int) -> RequestDocument:
    """A document of a request the user may read (anything else is answered as not found)."""
    access_request = visible_request(request, pk)
    return get_object_or_404(RequestDocument.objects.select_related("request"), request=access_request, pk=document_id)


@login_required
def document_download(request: HttpRequest, pk: int, document_id: int) -> FileResponse:
    """The document's file, as an attachment of its stored type that the browser must not sniff; audited."""
    document = _document(request, pk, document_id)
    try:
        opened = document_open(document=document, actor=request.user)
    except NotPermitted as error:
        raise PermissionDenied(error.message) from None
    except FileNotFoundError as exc:
        raise Http404("The file of this document is missing.") from exc
    response = FileResponse(opened.file, as_attachment=True, filename=opened.filename, content_type=opened.media_type)
    response["Content-Length"] = str(opened.byte_size)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def document_delete(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    """Remove a document (governance.services.documents.document_remove) after a confirmation page saying what
    removal does; a refusal is flashed."""
    document = _document(request, pk, document_id)
    if not is_confirmed(request):
        decision = policy.can_change_request_documents(request.user, document.request)
        if not decision:
            raise PermissionDenied(decision.reason)
        back = reverse("governance:request_detail", args=[pk])
        if document.request.submitted_at is None:
            consequence = _("The file “%(name)s” is deleted from the registry.")
        else:
            consequence = _(
                "“%(name)s” is no longer attached to the request; the committee keeps its record of it, and the next "
                "review round lists it as removed."
            )
        return confirmation_page(
            request,
            title=_("Remove “%(name)s”?") % {"name": document.filename},
            consequences=[consequence % {"name": document.filename}],
            confirm_label=_("Remove the document"),
            cancel_url=back + "#documents",
            breadcrumbs=[(back, document.request.title)],
        )
    try:
        document_remove(document=document, actor=request.user)
    except NotPermitted as error:
        raise PermissionDenied(error.message) from None
    except GovernanceError as error:
        messages.error(request, error.message)
        return redirect(reverse("governance:request_detail", args=[pk]) + "#documents")
    return _to_documents(request, pk, _("“%(name)s” is removed.") % {"name": document.filename})


def _letter(request: HttpRequest, letter_id: int) -> DecisionLetter:
    letter = get_object_or_404(
        DecisionLetter.objects.select_related("item__request", "item__dataset__partner", "item__dac"),
        item__in=selectors.items_visible_to(request.user),
        pk=letter_id,
    )
    decision = policy.can_read_decision_letter(request.user, letter.item)
    if not decision:
        raise PermissionDenied(decision.reason)
    return letter


@login_required
def decision_letter(request: HttpRequest, letter_id: int) -> HttpResponse:
    """A decision letter as written (in the requester's language), with its PDF and its content's hash."""
    letter = _letter(request, letter_id)
    context = {"letter": letter, "content": letter.content, "access_request": letter.item.request}
    return render(request, "governance/decision_letter.html", context)


@login_required
def decision_letter_pdf(request: HttpRequest, letter_id: int) -> HttpResponse:
    """The decision letter as a PDF (the same words as its page)."""
    letter = _letter(request, letter_id)
    filename = f"decision-{letter.item.request_id}-{letter.item_id}-round-{letter.review_round}.pdf"
    return HttpResponse(
        letter_pdf(letter),
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "X-Content-Type-Options": "nosniff"},
    )
