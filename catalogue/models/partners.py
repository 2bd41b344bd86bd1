from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalogue.countries import COUNTRY_CHOICES


class PartnerKind(models.TextChoices):
    ACADEMIC = "academic", _("University or hospital")
    PHARMA = "pharma", _("Pharmaceutical company")
    PATIENT_ORG = "patient_org", _("Patient organisation")
    REGULATOR = "regulator", _("Regulator or HTA body")
    SME = "sme", _("SME")
    OTHER = "other", _("Other")


# Kinds that count as for-profit organisations for DUO's NPU ("not-for-profit use only").
FOR_PROFIT_KINDS = frozenset({PartnerKind.PHARMA, PartnerKind.SME})


class Partner(models.Model):
    """A member organisation of the alliance; it owns datasets and usually runs a DAC."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    country = models.CharField(max_length=2, choices=COUNTRY_CHOICES)
    kind = models.CharField(max_length=20, choices=PartnerKind.choices)
    website = models.URLField(blank=True)
    contact_email = models.EmailField(blank=True)
    description = models.TextField(blank=True)
    affiliation_scopes = models.CharField(
        max_length=500,
        blank=True,
        help_text=(
            "Home-organisation domains of the partner's people as their institution's sign-in service writes them "
            "in eduPersonScopedAffiliation (member@erasmusmc.nl → erasmusmc.nl), separated by spaces or commas. "
            "Its administrators see the single sign-ins that claim them, and confirm memberships."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        permissions = [
            ("manage_datasets", "Can register and edit the partner's datasets"),
        ]

    def __str__(self) -> str:
        return self.short_name

    @property
    def affiliation_scope_list(self) -> list[str]:
        """``affiliation_scopes`` as a list of lower-case domains."""
        return [scope.lower() for scope in self.affiliation_scopes.replace(",", " ").split()]


class MembershipRole(models.TextChoices):
    CURATOR = "curator", _("Data curator")
    DAC_MEMBER = "dac_member", _("DAC member")
    RESEARCHER = "researcher", _("Researcher")


class Membership(models.Model):
    """A user's role at a partner. One row per (user, partner, role): a user may hold several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=MembershipRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partner__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "partner", "role"], name="unique_membership_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.partner}"
