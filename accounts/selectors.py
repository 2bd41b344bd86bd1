"""Reads of the accounts app: personal access tokens, and single sign-on identities for partners' administrators."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from accounts.models import OIDCIdentity, PersonalAccessToken, ScopedAffiliation


def tokens_of(user: AbstractBaseUser) -> QuerySet[PersonalAccessToken]:
    """The user's own tokens, newest first (live, expired and revoked); nobody else's, whatever their role."""
    if not user.is_authenticated:
        return PersonalAccessToken.objects.none()
    return PersonalAccessToken.objects.filter(user=user)


def sso_identities_claiming(scopes: Iterable[str]) -> QuerySet[OIDCIdentity]:
    """Single sign-on identities whose latest sign-in claimed an affiliation at one of ``scopes`` (home-organisation
    domains, compared case-insensitively), most recent sign-in first, with their user, issuer and affiliations.

    For the administrators of the partner those scopes belong to (the caller checks who may see this): a claim says
    who a person's provider says they are, never what they may do here.
    """
    wanted = sorted({scope.strip().lower() for scope in scopes if scope.strip()})
    if not wanted:
        return OIDCIdentity.objects.none()
    matching = ScopedAffiliation.objects.filter(scope__in=wanted).values("identity_id")
    return (
        OIDCIdentity.objects.filter(pk__in=matching)
        .select_related("user", "issuer")
        .prefetch_related("affiliations")
        .order_by("-last_login", "-pk")
    )
