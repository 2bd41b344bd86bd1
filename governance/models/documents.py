"""What a requester attaches to an access request, and the letters the committees send back.

``RequestDocument`` rows describe files kept in the private ``request_documents`` storage (never served
directly: governance.services.documents streams them to readers of the request). ``DecisionLetter`` rows are
the letters a committee decision produces: written once, in the requester's language, and never changed
(on PostgreSQL a trigger refuses UPDATE and DELETE; a new decision makes a new letter).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.models.requests import AccessRequest, AccessRequestItem, VoteDecision


class DocumentKind(models.TextChoices):
    PROTOCOL = "protocol", _("Study protocol")
    ETHICS_APPROVAL = "ethics_approval", _("Ethics approval letter")
    ANALYSIS_PLAN = "analysis_plan", _("Statistical analysis plan")
    OTHER = "other", _("Other document")


class RequestDocument(models.Model):
    """A file attached to a request: its kind, the name it was uploaded under, the type its content shows, its
    size and SHA-256. Removing a document of a submitted request keeps the row and the file (``removed_at``):
    a committee reviewed it, and "what changed" names it; a draft's documents are deleted outright."""

    request = models.ForeignKey(AccessRequest, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    filename = models.CharField(max_length=200, help_text="The uploaded file's name, as the requester gave it.")
    media_type = models.CharField(max_length=100, help_text="The type found in the file's content.")
    byte_size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=300, editable=False, help_text="Path in the private storage.")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        ordering = ["request", "kind", "uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True, removed_by__isnull=True) | Q(removed_at__isnull=False),
                name="document_removal_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.filename}"


#: How a letter names its decision (the vote's choice names the member's act: "Ask for changes").
LETTER_DECISION_LABELS = {
    VoteDecision.APPROVE: _("Approved"),
    VoteDecision.REJECT: _("Rejected"),
    VoteDecision.CHANGES: _("Returned for changes"),
}


class DecisionLetter(models.Model):
    """The letter a committee decision sends the requester: one per item and review round.

    ``content`` holds the letter as written, in ``language`` (subject, paragraphs, sections of lines), so the
    page and the PDF show the same words however the interface's translations change later; ``sha256`` is the
    hash of its canonical JSON. The structured fields (decision, reasons, conditions, access period) are what the
    letter says, for the API and for tests."""

    item = models.ForeignKey(AccessRequestItem, on_delete=models.PROTECT, related_name="letters")
    review_round = models.PositiveSmallIntegerField()
    decision = models.CharField(max_length=8, choices=VoteDecision.choices)
    language = models.CharField(max_length=10)
    reasons = models.JSONField(default=list)
    conditions = models.JSONField(default=list)
    access_start = models.DateField(null=True, blank=True)
    access_end = models.DateField(null=True, blank=True, help_text="The last day of the approved period (inclusive).")
    content = models.JSONField()
    sha256 = models.CharField(max_length=64)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The member whose vote or action made the decision.",
    )
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "review_round"]
        constraints = [
            models.UniqueConstraint(fields=["item", "review_round"], name="one_letter_per_item_and_round"),
        ]

    def __str__(self) -> str:
        return f"Decision letter for {self.item} (round {self.review_round})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only: an issued letter is never changed (a new decision makes a new letter)."""
        if not self._state.adding:
            raise ValueError("A decision letter is immutable once issued.")
        super().save(*args, **kwargs)

    @property
    def decision_label(self) -> str:
        return str(LETTER_DECISION_LABELS.get(self.decision, self.decision))
