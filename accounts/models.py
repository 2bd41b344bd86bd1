"""Personal access tokens: an API client's credential instead of its user's password."""

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


class LanguagePreference(models.Model):
    """A signed-in user's interface language, chosen with the header's language switch: it follows them to every
    browser they sign in on, and letters written to them (decision letters) use it (``accounts.language_for``)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language_preference")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user} → {self.language}"
