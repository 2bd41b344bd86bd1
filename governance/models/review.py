"""The frozen basis of an item's review: what the committee decides on.

At submission (and at each resubmission) the item records a snapshot of the request's intended use and
of the consent conditions the item was matched against; its SHA-256 goes into the item's audit event.
Votes, agreements and grants refer to the basis they were made on, so a later edit of the request or a
new consent version cannot change what an approval stands for.
"""

from __future__ import annotations

from django.db import models

from governance.models.requests import AccessRequestItem


class ReviewBasis(models.Model):
    item = models.ForeignKey(AccessRequestItem, on_delete=models.CASCADE, related_name="bases")
    review_round = models.PositiveSmallIntegerField()
    intended_use = models.JSONField(help_text="The request's fields and the use in DUO terms, as submitted.")
    consent_conditions = models.JSONField(help_text="The dataset's active consents the use was matched against.")
    compatible = models.BooleanField(help_text="The consent-match verdict at submission.")
    reasons = models.JSONField(default=list)
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the canonical JSON of the snapshot.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "review_round"]
        verbose_name_plural = "review bases"
        constraints = [models.UniqueConstraint(fields=["item", "review_round"], name="one_basis_per_item_and_round")]

    def __str__(self) -> str:
        return f"Basis of {self.item} (round {self.review_round})"
