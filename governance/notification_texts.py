"""What each notification says, in every interface language: a stored notification keeps a message key and its
parameters (``Notification.message_key``, ``Notification.params``) and is worded when it is read, in the reader's
language, and when it is e-mailed, in the recipient's (``accounts.language_for``).

Parameters are plain JSON: names and titles as written, dates as ISO strings (named in :data:`DATE_PARAMS`, shown in
the reader's date format), counts as integers. Free text a person wrote (a revocation reason, a committee's request
for changes) is passed through as written. A key this release does not know, and rows written before keys existed,
read as their stored English ``message``.
"""

from __future__ import annotations

from typing import Any

from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, ngettext_lazy

MESSAGES: dict[str, Promise] = {
    "review.submitted": gettext_lazy("Access request “%(request)s” for “%(dataset)s” awaits your review."),
    "review.resubmitted": gettext_lazy("Access request “%(request)s” for “%(dataset)s” was resubmitted."),
    "review.withdrawn": gettext_lazy("Access request “%(request)s” for “%(dataset)s” was withdrawn."),
    "review.reminder": ngettext_lazy(
        "Reminder: “%(request)s” for “%(dataset)s” has waited %(days)s day for your vote.",
        "Reminder: “%(request)s” for “%(dataset)s” has waited %(days)s days for your vote.",
        "days",
    ),
    "item.rejected": gettext_lazy("Your request for “%(dataset)s” was rejected by %(committee)s."),
    "item.approved": gettext_lazy(
        "Your request for “%(dataset)s” was approved; a data-sharing agreement with %(holder)s is needed."
    ),
    "item.changes_requested": gettext_lazy(
        "%(committee)s asks for changes to your request for “%(dataset)s”: %(comment)s"
    ),
    "item.reopened": gettext_lazy(
        "The consent of “%(dataset)s” changed and no longer covers your request: %(reason)s Change the intended use "
        "and resubmit, or withdraw the dataset from the request."
    ),
    "item.released": gettext_lazy("“%(dataset)s” is released to you until %(until)s (inclusive)."),
    "holder.agreement_awaits_signature": gettext_lazy(
        "Access to “%(dataset)s” was approved for “%(request)s”: the agreement awaits signature."
    ),
    "holder.ready_for_release": gettext_lazy("“%(dataset)s” can now be released for “%(request)s”."),
    "holder.released": gettext_lazy("“%(dataset)s” was released to %(requester)s until %(until)s (inclusive)."),
    "grant.revoked": gettext_lazy("Your access to “%(dataset)s” was revoked: %(reason)s"),
    "grant.expired": gettext_lazy("Your access to “%(dataset)s” expired on %(until)s."),
    "comment.added": gettext_lazy("%(author)s commented on “%(request)s”."),
    "committee.cannot_decide": ngettext_lazy(
        "Escalation: access request “%(request)s” is stuck: the data access committee “%(committee)s” has "
        "%(count)s eligible voter for “%(dataset)s” after recusal, and its rule needs at least %(needed)s. Add "
        "members to the committee or assign the dataset to another one.",
        "Escalation: access request “%(request)s” is stuck: the data access committee “%(committee)s” has "
        "%(count)s eligible voters for “%(dataset)s” after recusal, and its rule needs at least %(needed)s. Add "
        "members to the committee or assign the dataset to another one.",
        "count",
    ),
}
#: Parameters holding an ISO date, shown in the reader's date format.
DATE_PARAMS = frozenset({"until"})


def is_known(message_key: str) -> bool:
    return message_key in MESSAGES


def render(message_key: str, params: dict[str, Any], *, fallback: str = "") -> str:
    """The notification's text in the active language; ``fallback`` (the stored English text) when the key is
    unknown or its parameters do not fit the sentence (a row written by another release)."""
    sentence = MESSAGES.get(message_key)
    if sentence is None:
        return fallback
    shown = dict(params)
    for name in DATE_PARAMS & shown.keys():
        day = parse_date(str(shown[name]))
        if day is not None:
            shown[name] = date_format(day, "DATE_FORMAT")
    try:
        return str(sentence % shown)
    except (KeyError, TypeError, ValueError):
        return fallback
