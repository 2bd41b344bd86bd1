"""Visas a trusted broker asserted about a user, verified by the registry (governance.passports.verifier)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class VerifiedVisa(models.Model):
    """One verified GA4GH visa (``ResearcherStatus``, ``AffiliationAndRole`` …), shown to committees on the
    review page while it has not expired. The token itself is not kept, only its SHA-256."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verified_visas")
    issuer = models.CharField(max_length=300)
    visa_type = models.CharField(max_length=60)
    value = models.CharField(max_length=500)
    source = models.CharField(max_length=500)
    by = models.CharField(max_length=40, blank=True)
    asserted = models.DateTimeField()
    expires_at = models.DateTimeField()
    token_sha256 = models.CharField(max_length=64)
    verified_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["visa_type", "-asserted"]
        constraints = [models.UniqueConstraint(fields=["user", "token_sha256"], name="unique_visa_per_user")]

    def __str__(self) -> str:
        return f"{self.visa_type} {self.value} ({self.issuer})"
