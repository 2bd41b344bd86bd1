"""Writes on personal access tokens. Both are the owner's own acts: nobody creates or revokes another's token. Each
records an audit event (``token.create``, ``token.revoke``) in its transaction: a token is a credential."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import LanguagePreference, PersonalAccessToken, TokenScope
from accounts.tokens import PREFIX_LENGTH, digest_of, new_secret
from audit.services import audit_record

MAX_LIFETIME_DAYS = 366


@transaction.atomic
def token_create(
    *, user: AbstractBaseUser, name: str, scope: str, lifetime_days: int
) -> tuple[PersonalAccessToken, str]:
    """Create a token for ``user`` and return it with its secret, which is not stored and cannot be shown again.

    Refuses (``ValidationError``, by field) an empty name, an unknown scope and a lifetime outside 1 to 366 days: every
    token expires. Audits ``token.create`` with the name, scope, prefix and expiry (never the secret).
    """
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Name the token after what it is for.")]
    if scope not in TokenScope.values:
        errors["scope"] = [_("Choose one of: %(scopes)s.") % {"scopes": ", ".join(TokenScope.values)}]
    if not 1 <= lifetime_days <= MAX_LIFETIME_DAYS:
        errors["lifetime_days"] = [_("A token lives between 1 and %(days)d days.") % {"days": MAX_LIFETIME_DAYS}]
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
    audit_record(actor=user, action="token.create", obj=token, after=_facts(token))
    return token, secret


def _facts(token: PersonalAccessToken) -> dict[str, object]:
    return {"name": token.name, "scope": token.scope, "prefix": token.prefix, "expires_at": token.expires_at}


@transaction.atomic
def token_revoke(*, token: PersonalAccessToken, actor: AbstractBaseUser) -> PersonalAccessToken:
    """Revoke ``token`` at once (under a row lock); only its owner may (``PermissionDenied``). A revoked token answers
    401 from then on; audits ``token.revoke``. Revoking a revoked token changes nothing (its first revocation stays)."""
    token = PersonalAccessToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != actor.pk:
        raise PermissionDenied(_("Only the token's owner can revoke it."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="token.revoke", obj=token, after=_facts(token))
    return token


@transaction.atomic
def language_preference_set(*, user: AbstractBaseUser, language: str) -> LanguagePreference:
    """Store ``language`` (one of ``settings.LANGUAGES``, else ``ValidationError``) as ``user``'s interface language.
    Audits ``account.language`` with the old and new codes; choosing the stored language again changes nothing."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Choose one of the offered languages.")]})
    preference = LanguagePreference.objects.select_for_update().filter(user=user).first()
    before = preference.language if preference else None
    if before == language:
        return preference
    if preference is None:
        preference = LanguagePreference.objects.create(user=user, language=language)
    else:
        preference.language = language
        preference.save(update_fields=["language", "updated_at"])
    audit_record(
        actor=user,
        action="account.language",
        obj=preference,
        before={"language": before} if before else None,
        after={"language": language},
    )
    return preference
