"""Decision letters: what a committee's decision on an item tells the requester, in the requester's language.

A letter is written when a committee decides an item — it approves, rejects, or returns it for changes (by its
decision rule, or an officer sending it back) — by :func:`letter_issue`, which governance.workflow calls in the
transaction of the decision, right after the state changed. The letter states the decision, the reasons the
members gave for the requester (``Vote.reason``: required to reject or ask for changes, optional to approve), and
for an approval the conditions (those the members stated, the obligations of the dataset's consents, the
data-sharing agreement) and the approved access period. Vote comments stay with the committee.

The words are written once, in ``accounts.language_for(requester)``, into ``DecisionLetter.content`` with the SHA-256
of its canonical JSON; the page and the PDF (:func:`letter_pdf`) show exactly those words. A letter is never
changed (the model refuses a second save; PostgreSQL refuses UPDATE and DELETE); a new decision makes a new letter.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts import language_for
from audit.services import audit_record
from catalogue.consent_matching import REVIEW_CODE_PREFIX, finding_code, match_use
from catalogue.selectors import consent_conditions_of
from governance.models import AccessRequestItem, DecisionLetter, VoteDecision
from governance.review_basis import basis_use
from governance.services.agreements import pdf_font

if TYPE_CHECKING:
    pass


def content_sha256(content: dict[str, Any]) -> str:
    """SHA-256 of a letter's canonical JSON (sorted keys, no whitespace, UTF-8)."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _name(user: AbstractBaseUser) -> str:
    return user.get_full_name() or user.get_username()


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _consent_obligations(item: AccessRequestItem, today: datetime.date) -> list[str]:
    """What the dataset's consents oblige the approved use to (publication, collaboration, …): the matcher's
    notes on the frozen use, without those that only ask the committee to check something."""
    if item.basis is None:
        return []
    verdict = match_use(basis_use(item.basis), consent_conditions_of(item.dataset), today)
    return [str(note) for note in verdict.notes if not finding_code(note).startswith(REVIEW_CODE_PREFIX)]


def _content(
    item: AccessRequestItem,
    *,
    decision: str,
    reasons: Sequence[str],
    conditions: Sequence[str],
    access_start: datetime.date | None,
    access_end: datetime.date | None,
    today: datetime.date,
) -> dict[str, Any]:
    """The letter's words in the active language."""
    request, dataset = item.request, item.dataset
    facts = {
        "committee": item.dac.name if item.dac else "",
        "number": request.pk,
        "title": request.title,
        "dataset": dataset.title,
        "holder": dataset.partner.name,
        "round": item.review_round,
    }
    opening = (
        _(
            "The %(committee)s has decided on your access request no. %(number)s “%(title)s” for the dataset "
            "“%(dataset)s” held by %(holder)s, in review round %(round)s."
        )
        % facts
    )
    sections: list[dict[str, Any]] = []
    if decision == VoteDecision.APPROVE:
        verdict = _("Your request is approved.")
        if reasons:
            sections.append({"heading": _("Reasons"), "lines": list(reasons)})
        agreement = _(
            "A data-sharing agreement between %(partner)s and %(holder)s is signed by both sides before any data "
            "are released."
        ) % {"partner": request.partner.name, "holder": dataset.partner.name}
        sections.append(
            {
                "heading": _("Conditions of approval"),
                "lines": [*conditions, *_consent_obligations(item, today), agreement],
            }
        )
        if access_start and access_end:
            period = _(
                "From %(start)s to %(end)s inclusive at the latest; the data holder sets the last day of access "
                "when releasing the data, within this period."
            ) % {"start": _day(access_start), "end": _day(access_end)}
        else:
            period = _("The period is set when the data are released.")
        sections.append({"heading": _("Access period"), "lines": [period]})
        next_step = _("Sign the data-sharing agreement on the request's page; the data holder then releases the data.")
    elif decision == VoteDecision.REJECT:
        verdict = _("Your request is rejected.")
        sections.append({"heading": _("Reasons"), "lines": list(reasons)})
        next_step = _(
            "This decision closes your request for this dataset. You may make a new request that addresses "
            "the reasons above."
        )
    else:
        verdict = _("The committee returns your request to you for changes.")
        sections.append({"heading": _("What should change"), "lines": list(reasons)})
        next_step = _(
            "Edit the request (its text, intended use and documents) and resubmit it: the committee reviews it "
            "again in a new round and sees what changed."
        )
    sections.append({"heading": _("What happens next"), "lines": [next_step]})
    return {
        "subject": _("Decision on your access request no. %(number)s") % facts,
        "date": _day(today),
        "greeting": _("Dear %(name)s,") % {"name": _name(request.requester)},
        "paragraphs": [opening, verdict],
        "sections": sections,
        "closing": _("Yours sincerely,"),
        "signature": facts["committee"],
    }


def letter_issue(
    *,
    item: AccessRequestItem,
    decision: str,
    actor: AbstractBaseUser | None,
    reasons: Sequence[str] = (),
    conditions: Sequence[str] = (),
    access_start: datetime.date | None = None,
    access_end: datetime.date | None = None,
) -> DecisionLetter:
    """Write the letter of ``decision`` on ``item`` in its current round; audited as ``letter.issue``.

    Called by governance.workflow inside the decision's transaction, with the item locked and its new state
    applied; ``reasons`` and ``conditions`` are the members' words for the requester (blank ones dropped),
    ``access_start``/``access_end`` the approved period (approvals only). The letter is written in the
    requester's language (accounts.language_for) and its content's SHA-256 recorded in the row and the event.
    One letter per item and round (a unique constraint).
    """
    today = timezone.localdate()
    language = language_for(item.request.requester)
    # Blank ones dropped; several members giving the same words are one reason in the letter.
    reasons = list(dict.fromkeys(reason.strip() for reason in reasons if reason.strip()))
    conditions = list(dict.fromkeys(condition.strip() for condition in conditions if condition.strip()))
    with translation.override(language):
        content = _content(
            item,
            decision=decision,
            reasons=reasons,
            conditions=conditions,
            access_start=access_start,
            access_end=access_end,
            today=today,
        )
    approved = decision == VoteDecision.APPROVE
    letter = DecisionLetter.objects.create(
        item=item,
        review_round=item.review_round,
        decision=decision,
        language=language,
        reasons=reasons,
        conditions=conditions if approved else [],
        access_start=access_start if approved else None,
        access_end=access_end if approved else None,
        content=content,
        sha256=content_sha256(content),
        decided_by=actor if actor is not None and actor.is_authenticated else None,
    )
    audit_record(
        actor=actor,
        action="letter.issue",
        obj=letter,
        after={
            "item_id": item.pk,
            "review_round": item.review_round,
            "decision": decision,
            "language": language,
            "sha256": letter.sha256,
        },
        access_request_id=item.request_id,
    )
    return letter


def letter_pdf(letter: DecisionLetter) -> bytes:
    """The letter as a PDF: the same words as its page, then the hash of its content."""
    # Imported here: fpdf2 and fontTools weigh ~57 MB, which every web and worker process paid at start-up.
    from fpdf import FPDF

    content = letter.content
    pdf = FPDF(format="A4")
    pdf.set_title(content["subject"])
    pdf.set_lang(letter.language)
    pdf.set_creation_date(letter.issued_at)
    pdf.add_page()
    family, unicode = pdf_font(pdf)

    def plain(text: str) -> str:
        return text if unicode else text.encode("latin-1", "replace").decode("latin-1")

    def paragraph(text: str, size: float = 10) -> None:
        pdf.set_font(family, size=size)
        pdf.multi_cell(0, 5, plain(text), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    paragraph(content["signature"], 9)
    paragraph(content["date"], 9)
    paragraph(content["subject"], 13)
    paragraph(content["greeting"])
    for text in content["paragraphs"]:
        paragraph(text)
    for section in content["sections"]:
        paragraph(section["heading"], 11)
        for line in section["lines"]:
            paragraph(f"• {line}" if unicode else f"- {line}")
    paragraph(content["closing"])
    paragraph(content["signature"])
    pdf.ln(4)
    paragraph(f"SHA-256: {letter.sha256}", 7)
    return bytes(pdf.output())
