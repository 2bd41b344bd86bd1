"""Review reminders and the in-app inbox."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import selectors
from governance.errors import NotPermitted
from governance.models import (
    AccessRequestItem,
    ItemState,
    Notification,
    Vote,
)
from governance.notifications import notify


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind the members who have not voted on items waiting longer than their DAC's target.

    At most one reminder a day per item. Returns the number of items reminded about.
    """
    now = now or timezone.now()
    count = 0
    waiting = AccessRequestItem.objects.filter(state=ItemState.UNDER_REVIEW).select_related("dac", "request", "dataset")
    for item in waiting:
        if item.review_started_at is None or item.review_started_at > now - datetime.timedelta(
            days=item.dac.target_days
        ):
            continue
        if item.last_reminder_at and item.last_reminder_at > now - datetime.timedelta(days=1):
            continue
        with transaction.atomic():
            voted = Vote.objects.filter(item=item, review_round=item.review_round, member=OuterRef("pk"))
            members = selectors.User.objects.filter(pk__in=selectors.eligible_voter_ids(item)).exclude(Exists(voted))
            days = (now - item.review_started_at).days
            notify(
                users=members,
                verb="review_reminder",
                message_key="review.reminder",
                params={"request": item.request.title, "dataset": str(item.dataset), "days": days},
                access_request_id=item.request_id,
            )
            AccessRequestItem.objects.filter(pk=item.pk).update(last_reminder_at=now)
        count += 1
    return count


@transaction.atomic
def notification_mark_read(*, notification: Notification, user: AbstractBaseUser) -> Notification:
    if notification.user_id != user.pk:
        raise NotPermitted(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: AbstractBaseUser) -> int:
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).update(read_at=timezone.now())
