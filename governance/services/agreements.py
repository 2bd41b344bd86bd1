"""Data-sharing agreements as documents: each holder's template, the text rendered for one request, and the PDF
of a signed agreement. Signing itself is a workflow step (governance.workflow.agreement_sign), which records the
typed name, the time and the SHA-256 of the exact text signed.

The text is rendered when the agreement opens (the holder's first approval) and again whenever another of the
holder's items is approved, until the first signature: from then on it is frozen, so both sides sign the same
bytes (the second signer's page posts the hash it showed, and a changed text is refused).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from catalogue.models import Partner
from governance import policy
from governance.models import AgreementTemplate, DataSharingAgreement
from harmony.errors import RuleRefused

if TYPE_CHECKING:
    from fpdf import FPDF

#: The placeholders a template may use, each filled from the request (unknown ones are left as written).
AGREEMENT_PLACEHOLDERS = {
    "requester": "the requester's full name (or username)",
    "requester_partner": "the requesting partner (institution)",
    "holder": "the data holder",
    "request_title": "the request's title",
    "datasets": "the holder's approved datasets in the request, comma-separated",
    "purpose": "the research purpose",
    "lay_summary": "the request's lay summary",
    "period_start": "the requested start (YYYY-MM-DD)",
    "period_end": "the requested end, inclusive (YYYY-MM-DD)",
    "ethics_reference": "the ethics approval reference",
    "request_id": "the request's number",
}

DEFAULT_TEMPLATE = "\n\n".join(  # one paragraph per line: the page and the PDF wrap them to their width
    [
        "DATA-SHARING AGREEMENT",
        "Between {holder} (the data holder) and {requester_partner} (the recipient), represented for this request "
        "by {requester}.",
        "1. Data. The data holder makes available to the recipient the following datasets of the HARMONY "
        "Catalogue: {datasets}.",
        "2. Purpose. The data are used only for the research described in access request no. {request_id}, "
        '"{request_title}" ({purpose}): {lay_summary}',
        "3. Period. Access runs from {period_start} to {period_end} inclusive, or the end of the access granted at "
        "release if earlier. The recipient deletes the data at the end of the period.",
        "4. Ethics. The research holds ethics approval {ethics_reference}; the recipient informs the data holder at "
        "once if it is withdrawn or expires.",
        "5. Conditions. The recipient does not attempt to re-identify any person, does not pass the data on, keeps "
        "them secure, and respects every data-use condition of the consents recorded for the datasets.",
    ]
)


class _KeepUnknown(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def text_sha256(text: str) -> str:
    """The SHA-256 of an agreement text (its UTF-8 bytes), as recorded at signing."""
    return hashlib.sha256(text.encode()).hexdigest()


def agreement_text(agreement: DataSharingAgreement) -> str:
    """The holder's template (or the default) filled from the request and the holder's approved items."""
    request = agreement.request
    template = AgreementTemplate.objects.filter(partner_id=agreement.holder_id).first()
    datasets = sorted({basis.item.dataset.title for basis in agreement.bases.select_related("item__dataset")})
    values = _KeepUnknown(
        requester=request.requester.get_full_name() or request.requester.get_username(),
        requester_partner=request.partner.name,
        holder=agreement.holder.name,
        request_title=request.title,
        datasets=", ".join(datasets) or "—",
        purpose=request.get_purpose_display(),
        lay_summary=request.lay_summary,
        period_start=request.requested_start.isoformat() if request.requested_start else "—",
        period_end=request.requested_end.isoformat() if request.requested_end else "—",
        ethics_reference=request.ethics_reference or "—",
        request_id=str(request.pk),
    )
    return (template.body if template else DEFAULT_TEMPLATE).format_map(values)


def agreement_text_refresh(agreement: DataSharingAgreement) -> None:
    """Re-render a locked agreement's text while nobody has signed it (the caller holds the row lock)."""
    if agreement.requester_signed_at is not None or agreement.holder_signed_at is not None:
        return
    agreement.text = agreement_text(agreement)
    agreement.text_sha256 = text_sha256(agreement.text)
    agreement.save(update_fields=["text", "text_sha256"])


@transaction.atomic(durable=True)
def agreement_template_set(*, partner: Partner, body: str, actor: AbstractBaseUser) -> AgreementTemplate:
    """Set ``partner``'s agreement template (administrators; curators of the partner). Agreements already opened
    keep their text until their next re-rendering, and never change once signed. Audits agreement_template.set."""
    policy.require(policy.can_set_agreement_template(actor, partner))
    if not body.strip():
        raise RuleRefused(_("The agreement text is empty."), field="body")
    try:
        body.format_map(_KeepUnknown())
    except (ValueError, IndexError) as error:
        raise RuleRefused(
            _("The template's placeholders are malformed: %(error)s.") % {"error": error}, field="body"
        ) from error
    template, _created = AgreementTemplate.objects.update_or_create(partner=partner, defaults={"body": body})
    audit_record(
        actor=actor,
        action="agreement_template.set",
        obj=template,
        after={"partner_id": partner.pk, "sha256": text_sha256(body)},
    )
    return template


def pdf_font(pdf: FPDF) -> tuple[str, bool]:
    """DejaVu Sans (Unicode) when the file in AGREEMENT_PDF_FONT exists, else the core Helvetica (Latin-1)."""
    path = Path(settings.AGREEMENT_PDF_FONT)
    if path.is_file():
        pdf.add_font("DejaVu", fname=str(path))
        return "DejaVu", True
    return "Helvetica", False


def agreement_pdf(agreement: DataSharingAgreement) -> bytes:
    """The signed agreement as a PDF: the exact text signed, then each side's typed name, time and text hash."""
    # Imported here: fpdf2 and fontTools weigh ~57 MB, which every web and worker process paid at start-up.
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(f"Data-sharing agreement {agreement.request_id} / {agreement.holder.short_name}")
    pdf.set_creation_date(timezone.now())
    pdf.add_page()
    family, unicode = pdf_font(pdf)

    def plain(text: str) -> str:
        return text if unicode else text.encode("latin-1", "replace").decode("latin-1")

    pdf.set_font(family, size=10)
    pdf.multi_cell(0, 5, plain(agreement.text))
    pdf.ln(6)
    pdf.set_font(family, size=9)
    for side, partner in (("requester", agreement.request.partner), ("holder", agreement.holder)):
        signed_at = getattr(agreement, f"{side}_signed_at")
        name, digest = getattr(agreement, f"{side}_signed_name"), getattr(agreement, f"{side}_signed_sha256")
        line = (
            f"Signed for {partner.name} by {name} on {signed_at:%Y-%m-%d %H:%M %Z}; SHA-256 of the text: {digest}"
            if signed_at
            else f"Not signed for {partner.name}."
        )
        pdf.multi_cell(0, 5, plain(line))
        pdf.ln(2)
    return bytes(pdf.output())
