"""In-app notifications (rows written in the caller's transaction) and their e-mail copies (sent on commit)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from governance.models import Notification


def request_url(request_id: int) -> str:
    """The page of a request: the UI's ``governance:request_detail`` if it exists, else the API resource."""
    try:
        return reverse("governance:request_detail", kwargs={"pk": request_id})
    except NoReverseMatch:
        return f"/api/v1/access-requests/{request_id}/"


def notify(
    *,
    users: Iterable[AbstractBaseUser],
    verb: str,
    message: str,
    access_request_id: int | None = None,
    target_url: str = "",
) -> list[Notification]:
    """Put ``message`` in each user's inbox now and e-mail it once the transaction commits.

    Duplicated users are notified once; a rolled-back transaction sends nothing.
    """
    recipients = {user.pk: user for user in users if user is not None}.values()
    if access_request_id is not None and not target_url:
        target_url = request_url(access_request_id)
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                user=user, verb=verb, message=message, target_url=target_url, access_request_id=access_request_id
            )
            for user in recipients
        ]
    )
    mails = [
        (
            f"[HARMONY] {message[:120]}",
            f"{message}\n\n{settings.SITE_URL}{target_url}\n",
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
        for user in recipients
        if user.email
    ]
    if mails:
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))
    return notifications
