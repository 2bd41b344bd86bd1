"""Writes: recording the visas a user presented (verified first), audited."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from governance.passports.models import VerifiedVisa
from governance.passports.verifier import Visa, VisaRefused, verify_passport, verify_visa
from harmony.errors import RuleRefused


@transaction.atomic
def visas_present(*, actor: AbstractBaseUser, passport: str = "", visas: list[str] | None = None) -> list[VerifiedVisa]:
    """Verify a passport (or a list of visa JWTs) and keep the visas that verify for ``actor``. Refuses with every
    visa's reason (RuleRefused) when none verifies; a visa already kept is not kept twice."""
    accepted: list[Visa] = []
    refused: list[str] = []
    if passport:
        try:
            accepted, refused = verify_passport(passport)
        except VisaRefused as refusal:
            refused = [f"Passport: {refusal.reason}"]
    for index, token in enumerate(visas or [], start=1):
        try:
            accepted.append(verify_visa(token))
        except VisaRefused as refusal:
            refused.append(_("Visa %(index)s: %(reason)s") % {"index": index, "reason": refusal.reason})
    if not accepted:
        raise RuleRefused(_("No visa could be verified."), reasons=refused)
    kept = []
    for visa in accepted:
        record, created = VerifiedVisa.objects.get_or_create(
            user=actor,
            token_sha256=visa.token_sha256,
            defaults={
                "issuer": visa.issuer,
                "visa_type": visa.visa_type,
                "value": visa.value,
                "source": visa.source,
                "by": visa.by,
                "asserted": visa.asserted,
                "expires_at": visa.expires_at,
            },
        )
        if created:
            audit_record(
                actor=actor,
                action="visa.verified",
                obj=record,
                after={"issuer": visa.issuer, "type": visa.visa_type, "value": visa.value, "by": visa.by},
            )
        kept.append(record)
    return kept
