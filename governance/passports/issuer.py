"""Issuing: every live access grant as a GA4GH ``ControlledAccessGrants`` visa (a JWS, RS256, with ``kid`` and
``jku``), and a user's passport as the list of their current visas. Revoked and expired grants never appear."""

from __future__ import annotations

import datetime
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse
from django.utils import timezone
from joserfc import jwt

from governance.models import AccessGrant, ItemState
from governance.passports.keys import active_key

VISA_TYPE = "ControlledAccessGrants"


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def jwks_url() -> str:
    return _site(reverse("passport-jwks"))


def grant_end(grant: AccessGrant) -> datetime.datetime:
    """The instant access ends: ``valid_until`` is the last day of access (inclusive), so the visa expires at the
    following midnight in the registry's time zone."""
    day_after = grant.valid_until + datetime.timedelta(days=1)
    return datetime.datetime.combine(day_after, datetime.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def dataset_identifier(grant: AccessGrant) -> str:
    """The visa's ``value``: the dataset's persistent identifier, else its page URL."""
    dataset = grant.item.dataset
    return dataset.persistent_identifier or _site(reverse("dataset_detail", args=[dataset.slug]))


def visa_for_grant(grant: AccessGrant, *, now: datetime.datetime | None = None) -> str:
    now = now or timezone.now()
    key = active_key()
    claims = {
        "iss": settings.SITE_URL.rstrip("/"),
        "sub": grant.grantee.get_username(),
        "iat": int(now.timestamp()),
        "exp": int(grant_end(grant).timestamp()),
        "jti": str(uuid.uuid4()),
        "ga4gh_visa_v1": {
            "type": VISA_TYPE,
            "asserted": int(grant.valid_from.timestamp()),
            "value": dataset_identifier(grant),
            "source": _site(f"/api/v1/dacs/{grant.item.dac_id}/"),
            "by": "dac",
        },
    }
    header = {"alg": "RS256", "typ": "JWT", "kid": key.kid, "jku": jwks_url()}
    return jwt.encode(header, claims, key)


def live_grants_of(user: AbstractBaseUser, *, today: datetime.date | None = None):  # type: ignore[no-untyped-def]
    today = today or timezone.localdate()
    return (
        AccessGrant.objects.filter(
            grantee_id=user.pk,
            item__state=ItemState.RELEASED,
            revoked_at__isnull=True,
            expired_at__isnull=True,
            valid_until__gte=today,
        )
        .select_related("item__dataset", "grantee")
        .order_by("pk")
    )


def passport_for(user: AbstractBaseUser) -> list[str]:
    """The user's current visas (``ga4gh_passport_v1``): one per live grant."""
    return [visa_for_grant(grant) for grant in live_grants_of(user)]
