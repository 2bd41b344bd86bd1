"""Personal access tokens (an API client's credential instead of its user's password), single sign-on identities
and interface language preferences."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TokenScope(models.TextChoices):
    READ = "read", _("Read: GET, HEAD and OPTIONS only")
    WRITE = "write", _("Read and write")


class PersonalAccessTokenQuerySet(models.QuerySet["PersonalAccessToken"]):
    def live(self) -> PersonalAccessTokenQuerySet:
        """Neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PersonalAccessToken(models.Model):
    """A named, scoped, expiring, revocable token. Only the SHA-256 digest of the secret is stored (the secret is
    shown once, at creation); ``prefix`` is its first characters, to tell tokens apart in lists."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. “nightly feasibility export”.")
    scope = models.CharField(max_length=5, choices=TokenScope.choices, default=TokenScope.READ)
    prefix = models.CharField(max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PersonalAccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")), name="token_expires_after_creation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class OIDCIssuer(models.Model):
    """An OpenID Connect provider people have signed in through (or tried to): its identities hang from it, and
    refused sign-ins are audited against it."""

    issuer = models.URLField(max_length=500, unique=True, help_text="The provider's issuer identifier (``iss``).")
    first_seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "OpenID Connect issuer"

    def __str__(self) -> str:
        return self.issuer


class OIDCIdentity(models.Model):
    """A person as one provider knows them: ``issuer`` + ``subject`` (the ID token's ``iss`` and ``sub``) is the
    stable key, never the e-mail address. The same address asserted by another issuer is another identity (and
    another account). ``claims`` are the verified claims of the latest sign-in (affiliations included); they are
    shown to the partners' administrators and never grant a role by themselves."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_identities")
    issuer = models.ForeignKey(OIDCIssuer, on_delete=models.PROTECT, related_name="identities")
    subject = models.CharField(max_length=255)
    claims = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login = models.DateTimeField()

    class Meta:
        verbose_name = "OpenID Connect identity"
        verbose_name_plural = "OpenID Connect identities"
        ordering = ["-last_login"]
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="unique_oidc_issuer_subject")]

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"

    @property
    def scoped_affiliations(self) -> list[str]:
        """``eduperson_scoped_affiliation`` as asserted at the latest sign-in, e.g. ``member@erasmusmc.nl``."""
        value = self.claims.get("eduperson_scoped_affiliation", [])
        if isinstance(value, str):  # some providers send one value as a string, or several space-separated
            value = value.split()
        return [str(item) for item in value if isinstance(item, str | int)]


class ScopedAffiliation(models.Model):
    """One ``eduperson_scoped_affiliation`` value of an identity's latest sign-in, split at the ``@``: the
    affiliation (``member``, ``faculty``, ``student`` …) and the home organisation's scope (``erasmusmc.nl``), so
    that a partner's administrators find the sign-ins that claim their organisation. A claim, not a role."""

    identity = models.ForeignKey(OIDCIdentity, on_delete=models.CASCADE, related_name="affiliations")
    affiliation = models.CharField(max_length=64)
    scope = models.CharField(max_length=255, db_index=True)

    class Meta:
        ordering = ["scope", "affiliation"]
        constraints = [
            models.UniqueConstraint(fields=["identity", "affiliation", "scope"], name="unique_scoped_affiliation")
        ]

    def __str__(self) -> str:
        return f"{self.affiliation}@{self.scope}"


class LanguagePreference(models.Model):
    """A signed-in user's interface language, chosen with the header's language switch: it follows them to every
    browser they sign in on, and letters written to them (decision letters) use it (``accounts.language_for``)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language_preference")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user} → {self.language}"
