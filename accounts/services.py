"""Writes on personal access tokens. Both are the owner's own acts: nobody creates or revokes another's token."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import PersonalAccessToken, TokenScope
from accounts.tokens import PREFIX_LENGTH, digest_of, new_secret

MAX_LIFETIME_DAYS = 366


@transaction.atomic
def token_create(
    *, user: AbstractBaseUser, name: str, scope: str, lifetime_days: int
) -> tuple[PersonalAccessToken, str]:
    """Create a token for ``user`` and return it with its secret, which is not stored and cannot be shown again.

    Refuses (``ValidationError``, by field) an empty name, an unknown scope and a lifetime outside 1 to 366 days: every
    token expires.
    """
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = ["Name the token after what it is for."]
    if scope not in TokenScope.values:
        errors["scope"] = [f"Choose one of: {', '.join(TokenScope.values)}."]
    if not 1 <= lifetime_days <= MAX_LIFETIME_DAYS:
        errors["lifetime_days"] = [f"A token lives between 1 and {MAX_LIFETIME_DAYS} days."]
    if errors:
        raise ValidationError(errors)
    secret = new_secret()
    token = PersonalAccessToken.objects.create(
        user=user,
        name=name.strip(),
        scope=scope,
        prefix=secret[:PREFIX_LENGTH],
        digest=digest_of(secret),
        expires_at=timezone.now() + datetime.timedelta(days=lifetime_days),
    )
    return token, secret


@transaction.atomic
def token_revoke(*, token: PersonalAccessToken, actor: AbstractBaseUser) -> PersonalAccessToken:
    """Revoke ``token`` at once (under a row lock); only its owner may (``PermissionDenied``). A revoked token answers
    401 from then on. Revoking a revoked token changes nothing (its first revocation time stays)."""
    token = PersonalAccessToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != actor.pk:
        raise PermissionDenied("Only the token's owner can revoke it.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
