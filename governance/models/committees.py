"""Data access committees (DACs), their members, and which DAC governs which dataset."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalogue.models import Dataset, Partner


class DecisionRule(models.TextChoices):
    ANY_ONE = "any_one", _("One approval suffices")
    MAJORITY = "majority", _("Simple majority of eligible members")
    UNANIMOUS = "unanimous", _("Unanimity of eligible members")
    QUORUM = "quorum", _("Quorum of k approvals and no rejection")


class DataAccessCommittee(models.Model):
    """A committee deciding access to the datasets it governs.

    ``partner`` is the institution running it; an alliance-wide DAC has none.
    Members get guardian object permissions on the DAC (see governance.services.committees).
    """

    name = models.CharField(max_length=200, unique=True)
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="access_committees"
    )
    decision_rule = models.CharField(max_length=10, choices=DecisionRule.choices, default=DecisionRule.MAJORITY)
    quorum_k = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Approvals needed under the quorum rule (and no rejection)."
    )
    target_days = models.PositiveSmallIntegerField(
        default=14, help_text="Items waiting longer than this get reminders sent to the members who have not voted."
    )
    contact_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        permissions = [
            ("review_dac", "Can see the access requests addressed to the DAC"),
            ("vote_dac", "Can vote on the DAC's request items"),
            ("administer_dac", "Can sign agreements for, release and revoke the DAC's items"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision_rule="quorum") | Q(quorum_k__gte=1), name="dac_quorum_rule_has_k"
            ),
            models.CheckConstraint(condition=Q(target_days__gte=1), name="dac_target_days_positive"),
            models.UniqueConstraint(fields=["partner"], condition=Q(partner__isnull=False), name="one_dac_per_partner"),
        ]

    def __str__(self) -> str:
        return self.name


class DacRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary (does not vote)")


VOTING_ROLES = frozenset({DacRole.CHAIR, DacRole.MEMBER})


class DacMembership(models.Model):
    dac = models.ForeignKey(DataAccessCommittee, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dac_memberships")
    role = models.CharField(max_length=10, choices=DacRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dac", "role", "user__username"]
        constraints = [models.UniqueConstraint(fields=["dac", "user"], name="unique_dac_member")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.dac}"

    @property
    def votes(self) -> bool:
        return self.role in VOTING_ROLES


class DatasetGovernance(models.Model):
    """An explicit assignment of a dataset to a DAC. Without one, the dataset's partner's DAC governs it."""

    dataset = models.OneToOneField(Dataset, on_delete=models.CASCADE, related_name="governance")
    dac = models.ForeignKey(DataAccessCommittee, on_delete=models.PROTECT, related_name="governed_datasets")
    assigned_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["dataset"]
        verbose_name_plural = "dataset governance"

    def __str__(self) -> str:
        return f"{self.dataset} → {self.dac}"
