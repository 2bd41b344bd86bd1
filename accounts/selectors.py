"""Reads on personal access tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from accounts.models import PersonalAccessToken


def tokens_of(user: AbstractBaseUser) -> QuerySet[PersonalAccessToken]:
    """The user's own tokens, newest first (live, expired and revoked); nobody else's, whatever their role."""
    if not user.is_authenticated:
        return PersonalAccessToken.objects.none()
    return PersonalAccessToken.objects.filter(user=user)
