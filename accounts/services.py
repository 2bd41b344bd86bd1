"""Writes of the accounts app, each recording an audit event in its transaction.

- Personal access tokens: creating and revoking are the owner's own acts (nobody creates or revokes another's
  token), audited as ``token.create`` and ``token.revoke``: a token is a credential.
- Single sign-on: an identity's sign-in (creating its account the first time) and a refused sign-in. The
  identity's claims are stored for the partners' administrators to read; no membership, role or permission is
  ever derived from them, here or anywhere else.
- Interface language: a user's choice, audited as ``account.language``.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    LanguagePreference,
    OIDCIdentity,
    OIDCIssuer,
    PersonalAccessToken,
    ScopedAffiliation,
    TokenScope,
)
from accounts.tokens import PREFIX_LENGTH, digest_of, new_secret
from audit.services import audit_record, audit_record_throttled

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


# Claims kept from the provider's answer (the rest, e.g. tokens' hashes, is not ours to store).
KEPT_CLAIMS = (
    "iss",
    "sub",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
    "email",
    "email_verified",
    "eduperson_scoped_affiliation",
)
_USERNAME_UNSAFE = re.compile(r"[^\w.@+-]")


@transaction.atomic(durable=True)
def sso_sign_in(*, issuer: str, subject: str, claims: dict[str, Any]) -> AbstractBaseUser:
    """The account of the identity ``issuer`` + ``subject`` (verified ID token claims), created at its first sign-in.

    The account is found by the identity alone (under a row lock, so two simultaneous first sign-ins create one
    account), never by e-mail: the same address from another issuer, or of a local account, is another person
    here. The e-mail address is taken only when the provider says it is verified. Updates the stored claims and
    ``last_login``; audits ``sso.first_sign_in`` (account created) or ``sso.sign_in``. Grants nothing: a new
    account has no membership until a partner's administrator confirms one.
    """
    kept = {name: claims[name] for name in KEPT_CLAIMS if name in claims}
    now = timezone.now()
    issuer_row, _ = OIDCIssuer.objects.get_or_create(issuer=issuer)
    identity = (
        OIDCIdentity.objects.select_for_update().select_related("user").filter(issuer=issuer_row, subject=subject)
    ).first()
    created = identity is None
    if created:
        user = get_user_model().objects.create_user(username=_free_username(kept))
        identity = OIDCIdentity(user=user, issuer=issuer_row, subject=subject)
    user = identity.user
    user.first_name = str(kept.get("given_name", ""))[:150]
    user.last_name = str(kept.get("family_name", ""))[:150]
    if kept.get("email_verified") is True and kept.get("email"):
        user.email = str(kept["email"])[:254]
    user.last_login = now
    user.save(update_fields=["first_name", "last_name", "email", "last_login"])
    identity.claims = kept
    identity.last_login = now
    identity.save()
    identity.affiliations.all().delete()
    ScopedAffiliation.objects.bulk_create(
        [
            ScopedAffiliation(identity=identity, affiliation=affiliation[:64], scope=scope.lower()[:255])
            for affiliation, scope in sorted(
                {tuple(value.split("@", 1)) for value in identity.scoped_affiliations if "@" in value}
            )
            if affiliation and scope
        ]
    )
    audit_record(
        actor=user,
        action="sso.first_sign_in" if created else "sso.sign_in",
        obj=identity,
        after={
            "issuer": issuer,
            "subject": subject,
            "username": user.get_username(),
            "eduperson_scoped_affiliation": identity.scoped_affiliations,
        },
    )
    return user


def _free_username(claims: dict[str, Any]) -> str:
    """A readable username not yet taken: the provider's ``preferred_username`` (or the e-mail's local part),
    with a numeric suffix when a local or another provider's account already has it."""
    base = str(claims.get("preferred_username") or str(claims.get("email", "")).split("@")[0] or "user")
    base = _USERNAME_UNSAFE.sub("-", base)[:140] or "user"
    user_model = get_user_model()
    candidate, number = base, 1
    while user_model.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


@transaction.atomic
def sso_refusal_record(*, code: str, detail: str) -> None:
    """Audit a refused sign-in (``sso.refuse.<code>``) against the configured issuer.

    Anyone can make a sign-in fail at will, so at most one event per reason and minute is written; the
    repeats are counted in the next one (``audit_record_throttled``).
    """
    issuer_row, _ = OIDCIssuer.objects.get_or_create(issuer=settings.OIDC_ISSUER)
    audit_record_throttled(
        actor=None,
        action=f"sso.refuse.{code}"[:60],
        obj=issuer_row,
        window=datetime.timedelta(minutes=1),
        after={"reason": code, "detail": detail[:500]},
    )


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
