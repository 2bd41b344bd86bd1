"""Access requests, their per-dataset items, DAC votes and comments.

An item's ``state`` is assigned only by governance.workflow (the state machine);
serializers and forms expose it read-only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalogue.models import Dataset, MondoTerm, Partner, Variable
from governance.models.committees import DataAccessCommittee
from harmony.wording import in_sentence


class Purpose(models.TextChoices):
    """The research purpose, in DUO permission terms."""

    DS = "DS", _("Disease-specific research")
    HMB = "HMB", _("Health, medical or biomedical research")
    GRU = "GRU", _("General research use")
    POA = "POA", _("Population origins or ancestry research")
    METHODS = "METHODS", _("Methods development only")


class AccessRequest(models.Model):
    """A researcher's request, on behalf of their partner, to use one or more datasets for one purpose."""

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_requests")
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="access_requests", help_text="The requesting partner."
    )
    title = models.CharField(max_length=300)
    lay_summary = models.TextField(blank=True)
    scientific_aims = models.TextField(blank=True)
    purpose = models.CharField(max_length=10, choices=Purpose.choices, default=Purpose.HMB)
    disease = models.ForeignKey(
        MondoTerm,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The disease studied (a MONDO term): required for DS; for METHODS, the disease the methods are for.",
    )
    commercial = models.BooleanField(default=False, help_text="Commercial use, or use by a for-profit body.")
    will_publish = models.BooleanField(default=True)
    collaboration_with_holder = models.BooleanField(default=False)
    methods_development = models.BooleanField(default=False, help_text="Methods, software or algorithm development.")
    genetic_studies = models.BooleanField(default=False, help_text="The research is a genetic study.")
    requested_start = models.DateField(null=True, blank=True)
    requested_end = models.DateField(null=True, blank=True)
    ethics_reference = models.CharField(max_length=200, blank=True)
    ethics_expiry = models.DateField(null=True, blank=True)
    publication_date = models.DateField(
        "planned publication date", null=True, blank=True, help_text="When results are first to be published."
    )
    countries_of_use = models.JSONField(
        default=list, blank=True, help_text="ISO 3166-1 codes of the countries where the data will be used."
    )
    sensitive_research = models.JSONField(
        default=list,
        blank=True,
        help_text="Sensitive research the project involves (catalogue.consent_matching.SENSITIVE_RESEARCH codes).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(purpose="DS") | Q(disease__isnull=False), name="request_ds_names_disease"
            ),
            models.CheckConstraint(
                condition=Q(requested_start__isnull=True)
                | Q(requested_end__isnull=True)
                | Q(requested_start__lt=models.F("requested_end")),
                name="request_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ItemState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    AGREEMENT_SIGNED = "agreement_signed", _("Agreement signed")
    RELEASED = "released", _("Released")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


CLOSED_STATES = frozenset({ItemState.REJECTED, ItemState.WITHDRAWN, ItemState.EXPIRED, ItemState.REVOKED})


def state_in_sentence(state: str) -> str:
    """A state's name inside a sentence ("it is under review"), in the active language (harmony.wording)."""
    return in_sentence(ItemState(state).label if state in ItemState.values else state.replace("_", " "))


class AccessRequestItem(models.Model):
    """One requested dataset, decided by the DAC governing it, independently of the request's other items."""

    request = models.ForeignKey(AccessRequest, on_delete=models.CASCADE, related_name="items")
    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="access_request_items")
    variables = models.ManyToManyField(
        Variable, blank=True, related_name="+", help_text="A subset of the dataset's variables; empty means all."
    )
    dac = models.ForeignKey(
        DataAccessCommittee,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
        help_text="The deciding DAC, fixed at submission.",
    )
    basis = models.ForeignKey(
        "governance.ReviewBasis",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text="The frozen basis of the current review round (set at submission and resubmission).",
    )
    state = models.CharField(max_length=20, choices=ItemState.choices, default=ItemState.DRAFT, editable=False)
    review_round = models.PositiveSmallIntegerField(default=1, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    review_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    released_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["request", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "dataset"],
                condition=~Q(state__in=["rejected", "withdrawn", "expired", "revoked"]),
                name="one_open_item_per_request_and_dataset",
            ),
            models.CheckConstraint(condition=Q(state="draft") | Q(dac__isnull=False), name="submitted_item_has_dac"),
        ]
        indexes = [models.Index(fields=["state", "dac"])]

    def __str__(self) -> str:
        return f"{self.request} — {self.dataset}"


class VoteDecision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    CHANGES = "changes", _("Ask for changes")


class Vote(models.Model):
    """A DAC member's vote on an item in one review round. A resubmission opens a new round."""

    item = models.ForeignKey(AccessRequestItem, on_delete=models.PROTECT, related_name="votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    review_round = models.PositiveSmallIntegerField()
    decision = models.CharField(max_length=8, choices=VoteDecision.choices)
    basis = models.ForeignKey(
        "governance.ReviewBasis",
        null=True,  # only votes cast before review bases were recorded
        on_delete=models.PROTECT,
        related_name="votes",
        help_text="What the vote was cast on.",
    )
    comment = models.TextField(blank=True, help_text="For the committee only.")
    reason = models.TextField(
        blank=True, help_text="For the requester: goes into the decision letter (required to reject or ask changes)."
    )
    conditions = models.TextField(blank=True, help_text="Conditions of approval, one per line (approvals only).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "review_round", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["item", "member", "review_round"], name="one_vote_per_member_and_round")
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.decision} {self.item} (round {self.review_round})"


class Comment(models.Model):
    """A message on a request (optionally about one item). ``dac_only`` ones are hidden from the requester's side."""

    request = models.ForeignKey(AccessRequest, on_delete=models.CASCADE, related_name="comments")
    item = models.ForeignKey(
        AccessRequestItem, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    dac_only = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.request}"
