"""Reads: the verified visas a committee sees for a requester (unexpired, the types GA4GH defines for people)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone

from governance.passports.models import VerifiedVisa
from governance.passports.verifier import SHOWN_TYPES


def current_visas_of(user: AbstractBaseUser) -> QuerySet[VerifiedVisa]:
    return VerifiedVisa.objects.filter(user_id=user.pk, visa_type__in=SHOWN_TYPES, expires_at__gt=timezone.now())
