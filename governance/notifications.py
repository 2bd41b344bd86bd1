"""In-app notifications (rows written in the caller's transaction) and their e-mail copies.

E-mail goes through the outbox (``mail.send`` messages of :mod:`harmony.outbox`, written in the
same transaction): it is tried right after commit, and a failed send (SMTP down) is retried by
the worker with backoff, then shown to administrators; never dropped, never sent twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.urls import NoReverseMatch, reverse
from django.utils import translation

import accounts
from governance import notification_texts
from governance.models import Notification
from harmony.outbox.models import OutboxMessage
from harmony.outbox.services import deliver_after_commit, enqueue

MAIL_SEND = "mail.send"


def request_url(request_id: int) -> str:
    """The page of a request: the UI's ``governance:request_detail`` if it exists, else the API resource."""
    try:
        return reverse("governance:request_detail", kwargs={"pk": request_id})
    except NoReverseMatch:
        return f"/api/v1/access-requests/{request_id}/"


def item_review_url(item_id: int) -> str:
    """The committee's review page of an item (``governance:item_review``), else the item's API resource."""
    try:
        return reverse("governance:item_review", kwargs={"item_id": item_id})
    except NoReverseMatch:
        return f"/api/v1/access-request-items/{item_id}/"


def release_page_url(item_id: int) -> str:
    """The data holder's page of an item (``governance:release_page``), else the item's API resource."""
    try:
        return reverse("governance:release_page", kwargs={"item_id": item_id})
    except NoReverseMatch:
        return f"/api/v1/access-request-items/{item_id}/"


def letter_url(letter_id: int) -> str:
    """The page of a decision letter (``governance:decision_letter``), else the letter's API resource."""
    try:
        return reverse("governance:decision_letter", kwargs={"letter_id": letter_id})
    except NoReverseMatch:
        return f"/api/v1/decision-letters/{letter_id}/"


def notify(
    *,
    users: Iterable[AbstractBaseUser],
    verb: str,
    message_key: str,
    params: dict[str, Any],
    access_request_id: int | None = None,
    target_url: str = "",
) -> list[Notification]:
    """Put the message ``message_key`` (governance.notification_texts) in each user's inbox now, worded in the
    reader's language whenever it is read, and e-mail it once the transaction commits, worded in the recipient's
    language (``accounts.language_for``).

    Duplicated users are notified once; a rolled-back transaction sends nothing; a failed send is
    retried by the outbox worker. The English text is stored too, for readers of rows whose key a later release
    no longer knows. Raises ``ValueError`` for a key without a text (a programming error, not user input).
    """
    if not notification_texts.is_known(message_key):
        raise ValueError(f"No notification text for {message_key!r}.")
    recipients = {user.pk: user for user in users if user is not None}.values()
    if access_request_id is not None and not target_url:
        target_url = request_url(access_request_id)
    with translation.override("en"):
        english = notification_texts.render(message_key, params)
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                verb=verb,
                message=english,
                message_key=message_key,
                params=params,
                target_url=target_url,
                access_request_id=access_request_id,
            )
            for user in recipients
        ]
    )
    mails = enqueue(
        kind=MAIL_SEND,
        payloads=[_mail_payload(user, message_key, params, target_url) for user in recipients if user.email],
    )
    deliver_after_commit(mails)
    return notifications


def _mail_payload(user: AbstractBaseUser, message_key: str, params: dict[str, Any], target_url: str) -> dict:
    """The e-mail copy, worded when it is queued in the language the recipient reads (a retry sends the same)."""
    with translation.override(accounts.language_for(user)):
        text = notification_texts.render(message_key, params)
    return {
        "subject": f"[HARMONY] {text[:120]}",
        "body": f"{text}\n\n{settings.SITE_URL}{target_url}\n",
        "from_email": settings.DEFAULT_FROM_EMAIL,
        "to": [user.email],
    }


def deliver_mail(messages: list[OutboxMessage]) -> None:
    """The ``mail.send`` handler: send each message through ``EMAIL_BACKEND``; raises if the backend fails.

    Registered with a batch size of one, so a failure retries only the message that failed.
    """
    for outbox_message in messages:
        payload = outbox_message.payload
        send_mail(payload["subject"], payload["body"], payload["from_email"], payload["to"], fail_silently=False)
