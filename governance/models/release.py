"""After approval: data-sharing agreements, time-limited access grants and the downloads made with them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from catalogue.models import Distribution, Partner
from governance.models.requests import AccessRequest, AccessRequestItem


class AgreementTemplate(models.Model):
    """A data holder's data-sharing agreement text, with ``{placeholder}`` fields filled from each request
    (governance.services.agreements.AGREEMENT_PLACEHOLDERS). Partners without one use the alliance's default."""

    partner = models.OneToOneField(Partner, on_delete=models.PROTECT, related_name="agreement_template")
    body = models.TextField(help_text="Agreement text; placeholders such as {requester} and {datasets} are filled in.")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Agreement template of {self.partner}"


class DataSharingAgreement(models.Model):
    """The agreement between the requesting partner and one data holder, covering that holder's items.

    Created when the first of the holder's items is approved; complete once both sides have signed.
    """

    request = models.ForeignKey(AccessRequest, on_delete=models.PROTECT, related_name="agreements")
    holder = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    document_reference = models.CharField(max_length=200, blank=True)
    bases = models.ManyToManyField(
        "governance.ReviewBasis",
        blank=True,
        related_name="agreements",
        help_text="The approved review bases of the holder's items the agreement covers.",
    )
    text = models.TextField(
        blank=True,
        editable=False,
        help_text="The agreement as rendered for this request; frozen at the first signature.",
    )
    text_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    requester_signed_name = models.CharField(max_length=200, blank=True, editable=False)
    requester_signed_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    holder_signed_name = models.CharField(max_length=200, blank=True, editable=False)
    holder_signed_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    requester_signed_at = models.DateTimeField(null=True, blank=True, editable=False)
    requester_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    holder_signed_at = models.DateTimeField(null=True, blank=True, editable=False)
    holder_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "holder"]
        constraints = [
            models.UniqueConstraint(fields=["request", "holder"], name="one_agreement_per_request_and_holder"),
            models.CheckConstraint(
                condition=Q(requester_signed_at__isnull=True, requester_signed_by__isnull=True)
                | Q(requester_signed_at__isnull=False, requester_signed_by__isnull=False),
                name="agreement_requester_signature_complete",
            ),
            models.CheckConstraint(
                condition=Q(holder_signed_at__isnull=True, holder_signed_by__isnull=True)
                | Q(holder_signed_at__isnull=False, holder_signed_by__isnull=False),
                name="agreement_holder_signature_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Agreement {self.request_id} / {self.holder}"

    @property
    def is_complete(self) -> bool:
        return self.requester_signed_at is not None and self.holder_signed_at is not None


class AccessGrant(models.Model):
    """Access to one released item's dataset for its requester, from release until ``valid_until`` (inclusive)."""

    item = models.OneToOneField(AccessRequestItem, on_delete=models.PROTECT, related_name="grant")
    grantee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_grants")
    basis = models.ForeignKey(
        "governance.ReviewBasis",
        null=True,  # only grants released before review bases were recorded
        on_delete=models.PROTECT,
        related_name="grants",
        help_text="The approved basis the grant is bounded by (its period, ethics approval and use).",
    )
    valid_from = models.DateTimeField()
    valid_until = models.DateField(
        help_text="Last day of access (inclusive): the approved requested end or ethics expiry at the latest."
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,  # only grants released before the releaser was recorded (the audit event names them)
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.TextField(blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoke_reason=""), name="grant_revocation_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"Grant {self.pk} for {self.grantee} until {self.valid_until}"

    def is_live(self, today: datetime.date) -> bool:
        return self.revoked_at is None and self.expired_at is None and today <= self.valid_until


class Download(models.Model):
    """One file streamed to a grantee (each also has an audit event)."""

    grant = models.ForeignKey(AccessGrant, on_delete=models.PROTECT, related_name="downloads")
    distribution = models.ForeignKey(Distribution, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} downloaded {self.distribution} at {self.created_at:%Y-%m-%d %H:%M}"
