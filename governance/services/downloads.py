"""Streaming registry-held distribution files to holders of a live access grant (audited, refusals too)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record, audit_record_throttled
from catalogue.models import Dataset, DatasetStatus, Distribution, DistributionKind
from governance import policy, selectors
from governance.errors import NotPermitted, RuleViolation
from governance.models import Download
from governance.workflow import affiliation_problem, grant_expire

REFUSAL_AUDIT_WINDOW = datetime.timedelta(hours=1)


def _refusal(user: AbstractBaseUser, dataset: Dataset, today: datetime.date) -> tuple[Promise, dict[str, Any]]:
    """Why ``user`` may not download from ``dataset``, as a translatable message and its values (the audit event
    keeps it in the site's language, the person reads it in theirs)."""
    if dataset.status == DatasetStatus.RETIRED:
        return gettext_lazy("The dataset has been retired; its data is no longer released."), {}
    grant = selectors.latest_grant_for(user, dataset)
    if grant is None:
        return gettext_lazy("You have no access grant for this dataset."), {}
    if grant.revoked_at is not None:
        day = timezone.localdate(grant.revoked_at)
        return gettext_lazy("Your access grant was revoked on %(day)s: %(reason)s"), {
            "day": day,
            "reason": grant.revoke_reason,
        }
    if grant.expired_at is not None or grant.valid_until < today:
        if grant.expired_at is None:
            grant_expire(grant=grant, today=today)
        return gettext_lazy("Your access grant expired on %(day)s."), {"day": grant.valid_until}
    return gettext_lazy("Your access grant is not live."), {}


@dataclass
class DownloadResult:
    file: IO[bytes]
    filename: str
    download: Download


def distribution_download(
    *, distribution: Distribution, user: AbstractBaseUser, today: datetime.date | None = None
) -> DownloadResult:
    """Open a registry-held distribution file for a user with a live grant on its dataset; audited.

    Refusals raise NotPermitted with the reason: no grant, grant expired (an overdue grant is expired on
    the spot), revoked, or dataset retired. They are audited too (download.refused), at most once per
    user and distribution per ``REFUSAL_AUDIT_WINDOW`` with the count of the repeats, so that nobody
    can grow the audit table by asking again and again.
    """
    today = today or timezone.localdate()
    if distribution.kind != DistributionKind.FILE or not distribution.file:
        raise RuleViolation(_("This distribution is not a file held by the registry; use its access URL."))
    dataset = distribution.dataset
    grant = None if dataset.status == DatasetStatus.RETIRED else selectors.live_grant_for(user, dataset, today=today)
    if grant is not None and (left := affiliation_problem(grant.item)) is not None:
        raise NotPermitted(
            _("%(reason)s Access granted on the partner's behalf does not follow you.") % {"reason": left}
        )
    if not policy.can_download(user, distribution, grant):
        with transaction.atomic():
            message, values = _refusal(user, dataset, today)
            with translation.override(settings.LANGUAGE_CODE):
                audited = str(message) % values
            reason = str(message) % values
            audit_record_throttled(
                actor=user,
                action="download.refused",
                obj=distribution,
                window=REFUSAL_AUDIT_WINDOW,
                after={"reason": audited},
            )
        raise NotPermitted(reason)
    handle = distribution.file.open("rb")
    with transaction.atomic():
        download = Download.objects.create(grant=grant, distribution=distribution, user=user)
        audit_record(
            actor=user,
            action="download",
            obj=download,
            after={"distribution_id": distribution.pk, "grant_id": grant.pk, "dataset_id": dataset.pk},
            access_request_id=grant.item.request_id,
        )
    return DownloadResult(handle, distribution.file.name.rsplit("/", 1)[-1], download)
