"""The confirmation step of irreversible actions on catalogue pages (retire, remove, delete).

An action's form posts as before; unless the post carries ``confirmed=yes`` (sent only by the confirmation page),
the view answers with a page saying what will happen and a button that posts again with the confirmation. It
needs no script, and a post replayed from an old page or another site's form cannot act without that step.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRMED_FIELD = "confirmed"


def is_confirmed(request: HttpRequest) -> bool:
    """Whether this request is the confirmation page's post (only then may the action run)."""
    return request.method == "POST" and request.POST.get(CONFIRMED_FIELD) == "yes"


def confirmation_page(
    request: HttpRequest,
    *,
    title: str,
    consequences: Sequence[str],
    confirm_label: str,
    cancel_url: str,
    breadcrumbs: Sequence[tuple[str, str]] = (),
) -> HttpResponse:
    """The page asking to confirm: ``title`` as its heading, each consequence as one sentence, a button labelled
    ``confirm_label`` that posts to this same address with the confirmation, and a way back to ``cancel_url``."""
    context = {
        "title": title,
        "consequences": consequences,
        "confirm_label": confirm_label,
        "cancel_url": cancel_url,
        "breadcrumbs": breadcrumbs,
        "confirmed_field": CONFIRMED_FIELD,
    }
    return render(request, "includes/confirm.html", context)
